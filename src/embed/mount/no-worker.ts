// `Worker` for the playground inside a custom element: absent, so its runner takes the main-thread path
// (components/widgets/worker/runner.ts checks `typeof Worker`). A worker script must have the host
// page's origin and a blob: worker is refused by a strict CSP; a heavy load run therefore blocks the
// host page while it runs (the iframe form keeps the worker). Bound by esbuild `inject`.
export const Worker = undefined;
