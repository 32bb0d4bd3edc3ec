// Preloaded into an api process the bench profiles (`node --cpu-prof`): V8 writes the profile only when the
// process exits normally, and Nest ends a SIGTERM by re-raising it, so the bench asks over IPC instead.
process.on('message', (message: { type?: string }) => {
  if (message.type === 'exit') process.exit(0);
});
