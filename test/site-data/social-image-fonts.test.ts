import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { dejavuCovers, dejavuRanges, socialImagePng } from '../../src/site-data/social-image.ts';

const dejavu = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map(
  (name) => `/usr/share/fonts/truetype/dejavu/${name}`,
);
const fontsPresent = dejavu.every((file) => existsSync(file));

/** The code points a TrueType font maps to glyphs, from its cmap table's format 4 (BMP) subtable. */
function mappedCodePoints(file: string): Set<number> {
  const font = readFileSync(file);
  const tables = font.readUInt16BE(4);
  let cmap = -1;
  for (let i = 0; i < tables; i++) {
    const record = 12 + i * 16;
    if (font.toString('latin1', record, record + 4) === 'cmap') cmap = font.readUInt32BE(record + 8);
  }
  if (cmap < 0) throw new Error(`Expected a cmap table in ${file}, but found none.`);
  const mapped = new Set<number>();
  for (let i = 0; i < font.readUInt16BE(cmap + 2); i++) {
    const record = cmap + 4 + i * 8;
    const subtable = cmap + font.readUInt32BE(record + 4);
    if (font.readUInt16BE(subtable) !== 4) continue;
    const segments = font.readUInt16BE(subtable + 6) / 2;
    const ends = subtable + 14;
    const starts = ends + segments * 2 + 2;
    const deltas = starts + segments * 2;
    const offsets = deltas + segments * 2;
    for (let s = 0; s < segments; s++) {
      const end = font.readUInt16BE(ends + s * 2);
      const start = font.readUInt16BE(starts + s * 2);
      const delta = font.readInt16BE(deltas + s * 2);
      const offset = font.readUInt16BE(offsets + s * 2);
      for (let code = start; code <= end && code !== 0xffff; code++) {
        const glyph =
          offset === 0
            ? (code + delta) & 0xffff
            : font.readUInt16BE(offsets + s * 2 + offset + (code - start) * 2);
        if (glyph !== 0) mapped.add(code);
      }
    }
  }
  return mapped;
}

describe('the fonts of the social preview', () => {
  test.skipIf(!fontsPresent)(
    'DejaVu Sans has a glyph, in both weights, for every character it is trusted with',
    () => {
      for (const file of dejavu) {
        const mapped = mappedCodePoints(file);
        const missing: string[] = [];
        for (const [from, to] of dejavuRanges)
          for (let code = from; code <= to; code++) if (!mapped.has(code)) missing.push(code.toString(16));
        expect(missing, file).toEqual([]);
      }
    },
  );

  test('leaves a text with characters outside those ranges to the system fonts', () => {
    expect(dejavuCovers('Zoë Łukasiewicz-Ørsted — Прогноз, Ελλάδα “42 %” …')).toBe(true);
    expect(dejavuCovers('李雷')).toBe(false);
    expect(dejavuCovers('Match outcomes ⚽')).toBe(false);
  });

  test.skipIf(!fontsPresent)(
    'measures and draws the same PNG with the DejaVu files as with the system fonts',
    () => {
      for (const card of [
        {
          builder: 'Zoë Łukasiewicz-Ørsted',
          title: 'Прогноз матчей: WWWWWW MMMMMMM WWWWWWW MMMMMMMM WWWWW',
          facts: undefined,
        },
        { builder: 'Alex Rivera', title: 'Football match outcomes', facts: undefined },
      ]) {
        const files = Buffer.from(socialImagePng(card));
        expect(files.equals(Buffer.from(socialImagePng(card, { systemFonts: true }))), card.title).toBe(true);
      }
    },
  );
});
