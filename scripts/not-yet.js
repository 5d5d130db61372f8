console.error(
  'npm start is not available yet: the server boot lands with the next issue. `npm test` and `npm run store` work today.',
);
process.exit(1);
