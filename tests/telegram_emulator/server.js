// Starts the telegram-test-api Bot API emulator on 127.0.0.1:<port> for the end-to-end tests.
'use strict';
const TelegramServer = require('telegram-test-api');

const port = Number(process.argv[2]);
const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });

// The emulator delivers webhook updates without awaiting them; a refused delivery must not
// bring the whole emulator down.
process.on('unhandledRejection', (error) => {
  console.error(`emulator: unhandled rejection: ${error && error.message}`);
});
process.on('SIGTERM', () => {
  server.stop().then(() => process.exit(0));
});

server.start().then(() => {
  console.log(`emulator listening on ${port}`);
});
