/* global setTimeout */
// Preloaded into the service (`node --import`) only for `bench --cpu-prof`. Nest's shutdown hook
// closes the app and then re-raises the signal, and a process that dies from a signal writes no
// --cpu-prof profile. This listener lets Nest close first and turns the re-raised signal (or a
// stuck shutdown) into a normal exit, which writes the profile.
let seen = 0;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    seen += 1;
    if (seen > 1) process.exit(0);
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
