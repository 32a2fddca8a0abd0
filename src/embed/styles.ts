// Shared by embed.js and the widget files, which must not import embed.ts (it defines the elements).

/**
 * Styles for a shadow root. A constructed stylesheet is not an inline <style>, so a host page whose
 * Content-Security-Policy forbids inline styles still styles the widget; <style> is the fallback.
 */
export function addStyles(root: ShadowRoot, css: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = css;
    root.prepend(style);
  }
}
