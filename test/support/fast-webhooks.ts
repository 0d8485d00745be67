// Imported first by webhook tests, before the app's modules read the environment: a short attempt
// timeout and the retry schedule shrunk 10,000× (30 s → 3 ms first wait, 24 h → 8.6 s window).
process.env.WEBHOOK_TIMEOUT_MS = '300';
process.env.WEBHOOK_RETRY_SCALE = '0.0001';
