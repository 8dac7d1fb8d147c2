/** Types for subset-font (the package ships none): https://github.com/papandreou/subset-font */
declare module 'subset-font' {
  /** Cuts a font down to the glyphs of `text`; returns the new font file. */
  export default function subsetFont(font: Buffer, text: string, options?: { targetFormat?: 'truetype' | 'woff' | 'woff2' | 'sfnt'; preserveNameIds?: number[] }): Promise<Buffer>;
}
