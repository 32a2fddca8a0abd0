// The YAML parser Astro's content layer uses for content/comments (a dependency of astro, without
// bundled types). Only what the comment importer calls.
declare module 'js-yaml' {
  export function load(text: string, options?: { filename?: string }): unknown;
}
