// IPC with the benchmark's child processes (scripted server, configuration workers).

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
