/** The municipality list's neighbours column: validated against the list, made symmetric, kept in list order. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/db.js';
import { MunicipalityStore, readMunicipalityList } from '../../src/store/municipalities.js';
import { tempDir } from '../helpers/app.js';

function listFile(content: string, ext = 'csv'): string {
  const file = join(tempDir('pf-muni-'), `list.${ext}`);
  writeFileSync(file, content);
  return file;
}

describe('the neighbours column of the municipality list', () => {
  it('makes each border count both ways, in the order of the list, whatever the separator', () => {
    const list = readMunicipalityList(listFile('name,reading,neighbours\n甲市,こうし,丙町\n乙市,おつし,甲市、丙町\n丙町,へいまち,\n丁村,ていむら,\n'));
    const of = Object.fromEntries(list.map((m) => [m.name, m.neighbours]));
    expect(of).toEqual({ 甲市: ['乙市', '丙町'], 乙市: ['甲市', '丙町'], 丙町: ['甲市', '乙市'], 丁村: [] });
  });

  it('reads neighbours from JSON arrays too, and a list without the column has none', () => {
    expect(readMunicipalityList(listFile(JSON.stringify([{ name: '甲市', neighbours: ['乙市'] }, { name: '乙市' }]), 'json'))[1]!.neighbours).toEqual(['甲市']);
    expect(readMunicipalityList(listFile('name,reading\n甲市,こうし\n'))[0]!.neighbours).toEqual([]);
  });

  it('stops at a neighbour that is not in the list, naming the line and the name', () => {
    expect(() => readMunicipalityList(listFile('name,reading,neighbours\n甲市,こうし,乙市\n乙市,おつし,丙市\n'))).toThrow(/3 行目: 隣接する市町村「丙市」が一覧にありません/);
    expect(() => readMunicipalityList(listFile('name,reading,neighbours\n甲市,こうし,甲市\n'))).toThrow(/自分自身/);
  });

  it('the store answers neighboursOf from the synchronised list', () => {
    const db = new Database(':memory:');
    migrate(db);
    const store = new MunicipalityStore(db);
    store.syncList(readMunicipalityList(listFile('name,reading,neighbours\n甲市,こうし,乙市\n乙市,おつし,\n')));
    expect(store.neighboursOf('乙市')).toEqual(['甲市']);
    expect(store.neighboursOf('丙町')).toEqual([]);
  });

  it('the bundled Saitama list is consistent: every municipality has a neighbour and borders are mutual', () => {
    const list = readMunicipalityList(join(import.meta.dirname, '../../knowledge/municipalities/saitama.csv'));
    expect(list).toHaveLength(63);
    const of = new Map(list.map((m) => [m.name, m.neighbours]));
    for (const m of list) {
      expect(m.neighbours.length, m.name).toBeGreaterThan(0);
      for (const n of m.neighbours) expect(of.get(n), `${m.name}→${n}`).toContain(m.name);
    }
  });
});
