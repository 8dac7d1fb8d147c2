/**
 * Kanji variants (異体字) folded for search: a user types 高橋 and the directory says 髙橋商店.
 *
 * No maintained npm package offers such a table (checked: the registry's Japanese text packages
 * convert kana, widths and numerals; the address normaliser that carries a kanji table is a whole
 * geocoder), so this is a small table of the variants that occur in names of people, shops and
 * places: the JIS X 0213 / 人名用漢字 variants and old forms (旧字体) of the common name kanji, each
 * mapped to the form in everyday use. NFKC already folds the CJK compatibility ideographs (塚 →
 * 塚), and ideographic variation selectors (邉󠄂) are dropped, so only real code-point variants are
 * listed. Applied to both the indexed text and the query; the text users see is never changed.
 */

/** Each line: the everyday form, then its variants. */
const GROUPS = [
  '高髙',
  '崎﨑嵜碕',
  '斉齊齋斎',
  '辺邊邉',
  '浜濱濵',
  '沢澤',
  '桜櫻',
  '広廣',
  '国國圀',
  '徳德',
  '恵惠',
  '栄榮',
  '瀬瀨',
  '槙槇',
  '館舘',
  '富冨',
  '円圓',
  '真眞',
  '竜龍',
  '蔵藏',
  '実實',
  '寿壽',
  '万萬',
  '弥彌',
  '与與',
  '黒黑',
  '学學',
  '会會',
  '関關',
  '駅驛',
  '鉄鐵',
  '体體',
  '礼禮',
  '吉𠮷',
  '曽曾',
  '渕淵',
  '島嶋嶌',
  '岳嶽',
  '鴎鷗',
  '桧檜',
  '穂穗',
  '条條',
  '荘莊',
  '静靜',
  '来來',
  '戸戶',
  '歩步',
  '緒緖',
  '峰峯',
  '塩鹽',
  '県縣',
  '郷鄕',
  '祢禰',
  '薮藪',
  '籠篭',
  '柳栁',
  '桑桒',
  '凜凛',
];

const FOLD = new Map<string, string>();
for (const group of GROUPS) {
  const [everyday, ...variants] = [...group];
  for (const v of variants) if (v !== everyday) FOLD.set(v, everyday!);
}

/** Ideographic variation selectors (U+E0100–E01EF) and the standard ones (U+FE00–FE0F). */
const VARIATION_SELECTORS = /[\u{E0100}-\u{E01EF}\uFE00-\uFE0F]/gu;

/** The text with every listed kanji variant in its everyday form (高橋 for 髙橋, 斉藤 for 齋藤). */
export function foldItaiji(text: string): string {
  const plain = text.replace(VARIATION_SELECTORS, '');
  let out = '';
  for (const ch of plain) out += FOLD.get(ch) ?? ch;
  return out;
}
