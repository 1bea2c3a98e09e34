// A dependency-free Node server that shows postgres and redis answer, using
// only the standard library (so no npm install is needed).
const http = require('http');
const net = require('net');

function ask(host, port, payload, parse) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 2000 }, () => s.write(payload));
    s.once('data', (d) => { resolve(parse(d)); s.destroy(); });
    s.once('error', (e) => resolve('unreachable (' + e.code + ')'));
    s.once('timeout', () => { resolve('timeout'); s.destroy(); });
  });
}

// Postgres answers an SSLRequest with one byte: 'S' or 'N'.
const sslRequest = Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]);

http.createServer(async (req, res) => {
  const pg = await ask('postgres', 5432, sslRequest, (d) => 'answers (ssl ' + String.fromCharCode(d[0]) + ')');
  const redis = await ask('redis', 6379, 'PING\r\n', (d) => d.toString().trim().replace(/^\+/, ''));
  res.setHeader('Content-Type', 'text/plain');
  res.end(`node ${process.version}\npostgres ${pg}\nredis ${redis}\n`);
}).listen(3000, () => console.log('listening on 3000'));
