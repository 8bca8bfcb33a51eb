// Child process: the scripted model server (@agent-otel/testing). It runs in its own process so its
// CPU time never counts toward a configuration's CPU time. IPC: sends { type: 'ready', url }; on
// { type: 'reset' } it drops the recorded requests (they would grow for the whole run) and answers
// { type: 'reset', requests } with how many requests it served since the previous reset.
import { startScriptedServer } from '@agent-otel/testing';
import { REPLY } from './workload.mjs';

const server = await startScriptedServer();
server.setDefault(REPLY);

process.on('message', (msg) => {
  if (msg?.type === 'reset') {
    const requests = server.requests.length;
    server.reset();
    server.setDefault(REPLY);
    process.send({ type: 'reset', requests });
  } else if (msg?.type === 'close') {
    server.close().then(() => process.exit(0));
  }
});
process.on('disconnect', () => server.close().then(() => process.exit(0)));
process.send({ type: 'ready', url: server.url });
