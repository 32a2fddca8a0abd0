// The playground's preset names (components/widgets/playground/presets.ts: one per scenario file, in
// file-name order, named by the file's "name"), without the scenarios themselves, so the `preset`
// attribute can be checked before the playground's code loads. The embed bundle replaces this module
// with the same list computed from the files (src/integrations/embed-bundle.ts), and a unit test checks
// that it matches the playground's own list.
const names = import.meta.glob<string | undefined>('../sim/scenarios/*.json', {
  eager: true,
  import: 'name',
});

export const PLAYGROUND_PRESETS: readonly string[] = Object.entries(names)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([path, name]) =>
    typeof name === 'string' ? name : path.replace(/^.*\//, '').replace(/\.json$/, ''),
  );

/** The preset the playground opens on (components/widgets/playground/presets.ts DEFAULT_PRESET). */
export const PLAYGROUND_DEFAULT = 'port-exhaustion';
