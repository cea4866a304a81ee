// Preloaded (--require) into a Node child started by test/desktop/utility-process-stand-in.ts: gives it the
// `process.parentPort` of an Electron utility process — an EventEmitter whose 'message' listeners get a
// MessageEvent-like `{ data, ports }`, and `postMessage(message)` — over the child_process IPC channel
// (advanced serialization, i.e. structured clone, as Electron's MessagePort uses).
'use strict';
const { EventEmitter } = require('node:events');

const port = new EventEmitter();
port.postMessage = (message) => {
  process.send(message);
};
// Like Electron's parentPort, messages wait until the first 'message' listener is added (the port starts then):
// the worker entry attaches its listener only after its imports have loaded.
const queued = [];
let started = false;
process.on('message', (data) => {
  if (started) port.emit('message', { data, ports: [] });
  else queued.push(data);
});
port.on('newListener', (event) => {
  if (event !== 'message' || started) return;
  started = true;
  setImmediate(() => {
    for (const data of queued.splice(0)) port.emit('message', { data, ports: [] });
  });
});
// Electron ends its utility processes with the app; a child whose parent went away does the same.
process.on('disconnect', () => process.exit(1));
Object.defineProperty(process, 'parentPort', { value: port, enumerable: false });
