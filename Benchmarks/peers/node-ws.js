// node-ws peer: minimal WebSocket broadcast server on Debian's `ws` package
// (benchmark peer, not part of Roundtable). Usage: node node-ws.js PORT
'use strict';
// Debian installs `ws` in /usr/share/nodejs, which not every node binary searches.
const { WebSocketServer, WebSocket } = (() => {
  try { return require('ws'); } catch { return require('/usr/share/nodejs/ws'); }
})();

const port = Number(process.argv[2]);
if (!port) {
  console.error('usage: node node-ws.js PORT');
  process.exit(2);
}

const wss = new WebSocketServer({ host: '127.0.0.1', port, backlog: 4096, perMessageDeflate: false });

wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    for (const client of wss.clients) {
      if (client !== ws && client.readyState === WebSocket.OPEN) {
        client.send(data, { binary: false });
      }
    }
  });
  ws.on('error', () => {});
});

wss.on('listening', () => process.stdout.write(`ready ${port}\n`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
