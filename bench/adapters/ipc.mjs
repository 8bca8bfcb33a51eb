// IPC with the benchmark's child processes (scripted server, configuration workers).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));

/** Starts the scripted server (server.mjs) in its own process: `{ child, url }` once it listens. */
export async function startServer() {
  const child = fork(SERVER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { url } = await request(child, undefined, 'ready');
  return { child, url };
}

/** Sends `msg` (unless undefined) and resolves with the child's next message of `type`; rejects if the child exits first. */
export function request(child, msg, type) {
  return new Promise((resolve, reject) => {
    const onMessage = (m) => {
      if (m?.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code) => {
      child.off('message', onMessage);
      reject(new Error(`child exited (${code})`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (msg) child.send(msg);
  });
}
