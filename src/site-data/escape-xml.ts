const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for SVG or HTML content and attribute values built as strings. */
export const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => escapes[c]!);
