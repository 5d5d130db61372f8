import { createServer } from 'node:http';
import express from 'express';
import { Server } from 'socket.io';

/**
 * The yardstick of the ingest bench: the least a webhook-to-browser relay can do with the same
 * libraries — express parses the JSON, socket.io pushes it to subscribed clients, 200. No store,
 * no Redis. Our pipeline's throughput is printed as a fraction of this one's.
 */
const port = Number(process.argv[2]);
const app = express();
const httpServer = createServer(app);
const io = new Server(httpServer, { serveClient: false });
app.post('/hooks/telegram/:id', express.json({ limit: '1mb' }), (req, res) => {
  io.of('/inbox').to('inbox:all').emit('message.created', { message: req.body });
  res.status(200).json({ ok: true });
});
io.of('/inbox').on('connection', (socket) => void socket.join('inbox:all'));
httpServer.listen(port, '127.0.0.1', () => console.log('listening'));
