/* 吉林基层治理案例库 · 案例记录检查
 *
 * `casebook validate` for one record, in the editor's browser: the same rules and the same Chinese messages,
 * so what the form accepts the project's check accepts too. It ports, and tests/test_record_check.py compares
 * with, casebook/schema/__init__.py (the schema errors and field names), validate.py (the checks against the
 * registries), numbers.py (number phrases) and problems.py (suggestions). What it checks against comes from
 * edit/editor.json (casebook/editor.py): the case schema, practices, problems, metrics and sources.
 * Plain ES2017 without modules: old WeChat browsers run it. In Node, `require` returns CasebookCheck.
 */
(function (scope) {
  "use strict";

  // ---- Number phrases (numbers.py) ----------------------------------------------------------------------

  const MULTIPLIER_POWERS = { "十": 1, "百": 2, "千": 3, "万": 4, "亿": 8 };
  const AT_LEAST = "至少", ABOUT = "约", AT_MOST = "至多", RANGE = "区间", EXACT = "";
  const QUALIFIERS = {
    "多": AT_LEAST, "余": AT_LEAST, "以上": AT_LEAST, "超过": AT_LEAST, "逾": AT_LEAST, "突破": AT_LEAST,
    "约": ABOUT, "近": ABOUT, "将近": ABOUT, "大约": ABOUT, "左右": ABOUT,
    "以下": AT_MOST, "不足": AT_MOST, "不到": AT_MOST, "以内": AT_MOST,
  };
  const SYMBOLS = { [AT_LEAST]: "≥ ", [ABOUT]: "≈ ", [AT_MOST]: "≤ ", [RANGE]: "", [EXACT]: "" };
  const SUFFIX_ONLY = ["多", "余", "以上", "以下", "左右", "以内"];
  const PREFIX = Object.keys(QUALIFIERS).filter((word) => !SUFFIX_ONLY.includes(word))
    .sort((a, b) => b.length - a.length).join("|");
  const NUMBER = "\\d+(?:\\.\\d+)?";
  // Groups: 1 prefix, 2 number, 3 多/余, 4 multipliers, 5 upper number, 6 its multipliers, 7 多/余, 8 unit, 9 suffix.
  // Python's `$` also matches before a final newline; `\n?$` does the same here.
  const PHRASE = new RegExp(`^(${PREFIX})?(${NUMBER})(多|余)?([十百千万亿]*)(?:[—–\\-~～至到](${NUMBER})([十百千万亿]*))?` +
    "(多|余)?([^\\d]*?)(以上|以下|左右|以内|多|余)?\\n?$");
  const RATIO_WORDS = ["成", "倍", "折"];
  const LARGEST = "10000000000000000";

  class NumberPhraseError extends Error {}

  // A phrase read the way Python's parse_quantity reads it. Values are exact decimal strings ("319400", "94.1"),
  // as Python keeps them in a Decimal; `display` is Quantity.display().
  function quantity(phrase) {
    let text = withoutSeparators(phrase, phrase.normalize("NFKC").replace(/ /g, ""));
    if (/\d[eE][+-]?\d/.test(text)) {
      throw new NumberPhraseError(`「${phrase}」是科学计数法：请按原文写，如 8379人、1.1万人`);
    }
    if (!/\d/.test(text)) text = arabic(phrase, text);
    const match = PHRASE.exec(text);
    if (!match) {
      throw new NumberPhraseError(`读不出数值「${phrase}」：应是一个数加单位，如 6100多个、1.1万、94.1%以上、7—8个、三名` +
        "（含两个数的说法请拆成两条数据，或把其中一个写进 note）");
    }
    const [, prefix, number, firstMore, multipliers, upperNumber, upperMultipliers, secondMore, unit, suffix] = match;
    if (RATIO_WORDS.some((word) => unit.startsWith(word))) {
      throw new NumberPhraseError(`「${phrase}」是比例或倍数的说法，请换算成百分比写入数值（如 七成半 → 75%），原话写进 note`);
    }
    // "2—4万" scales both ends by the multiplier written once after the range.
    const value = scaled(number, multipliers || upperMultipliers || "");
    const upper = upperNumber === undefined ? null : scaled(upperNumber, upperMultipliers || multipliers);
    if (compareDecimals(value, LARGEST) > 0 || (upper !== null && compareDecimals(upper, LARGEST) > 0)) {
      throw new NumberPhraseError(`「${phrase}」大得不像资料里的数字（超过千万亿），请核对原文`);
    }
    const written = [prefix, firstMore, secondMore, suffix].filter(Boolean);
    let qualifier;
    if (upper !== null) {
      if (compareDecimals(upper, value) < 0) throw new NumberPhraseError(`区间「${phrase}」的上限小于下限`);
      qualifier = RANGE;
    } else if (new Set(written.map((word) => QUALIFIERS[word])).size > 1) {
      throw new NumberPhraseError(`「${phrase}」同时写了相互矛盾的限定词：${written.join("、")}`);
    } else {
      qualifier = written.length ? QUALIFIERS[written[0]] : EXACT;
    }
    const range = upper === null ? grouped(value) : `${grouped(value)}–${grouped(upper)}`;
    const shownUnit = unit === "%" || unit === "" ? unit : ` ${unit}`;
    return { value, upper, unit, qualifier, display: SYMBOLS[qualifier] + range + shownUnit };
  }

  // Thousands separators must stand every three digits (3,438 yes, 4,46 no).
  function withoutSeparators(phrase, text) {
    for (const number of text.match(/[\d,]*\d,[\d,]*/g) || []) {
      if (!/^\d{1,3}(,\d{3})+$/.test(number)) {
        throw new NumberPhraseError(`「${phrase}」里的逗号位置不对：千位分隔符应每三位一个（如 3,438个），也可以不写逗号`);
      }
    }
    return text.replace(/,/g, "");
  }

  // A decimal string times 10**power, in Decimal's plain form without trailing zeros.
  function scaled(number, multipliers) {
    let power = 0;
    for (const multiplier of multipliers) power += MULTIPLIER_POWERS[multiplier];
    const [whole, fraction = ""] = number.split(".");
    const digits = (whole + fraction).padEnd(whole.length + power, "0");
    const point = whole.length + power;
    const wholePart = digits.slice(0, point).replace(/^0+(?=\d)/, "");
    const fractionPart = digits.slice(point).replace(/0+$/, "");
    return fractionPart ? `${wholePart}.${fractionPart}` : wholePart;
  }

  function compareDecimals(a, b) {
    const [aWhole, aFraction = ""] = a.split("."), [bWhole, bFraction = ""] = b.split(".");
    if (aWhole.length !== bWhole.length) return aWhole.length - bWhole.length;
    const width = Math.max(aFraction.length, bFraction.length);
    const left = aWhole + aFraction.padEnd(width, "0"), right = bWhole + bFraction.padEnd(width, "0");
    return left < right ? -1 : left > right ? 1 : 0;
  }

  // Python shows a whole number exactly, and a fraction through a float rounded to the value's own decimals.
  // toFixed rounds the same float the same way, but for exact ties (16 or more significant digits: Python rounds
  // them to even). Older browsers' toFixed takes at most 20 decimals; a phrase of up to 30 characters (the schema's limit)
  // with more has too few significant digits for the float to change them, so those are shown as they are.
  function grouped(number) {
    const fraction = number.split(".")[1] || "";
    const rounded = fraction && fraction.length <= 20 ? Number(number).toFixed(fraction.length) : number;
    const [whole, decimals] = rounded.split(".");
    const withCommas = whole.replace(/\B(?=(\d{3})+$)/g, ",");
    return decimals === undefined ? withCommas : `${withCommas}.${decimals}`;
  }

  // ---- Chinese numerals: numbers.py's _arabic and the part of cn2an.transform(text, "cn2an") it relies on ----

  const APPROXIMATE_DIGITS = /[一二三四五六七八九两]{2}/;

  function arabic(phrase, text) {
    if (text.includes("几") || APPROXIMATE_DIGITS.test(text)) {
      throw new NumberPhraseError(`「${phrase}」是约数，没有确定的值：请写成区间（如 5—6个、11—19个），原话写进 note`);
    }
    return transformed(text);
  }

  // cn2an's tables (cn2an/conf.py, Transform): digits, units as powers of ten, and the traditional forms it reads.
  const CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "幺": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
  };
  const CN_UNITS = { "十": 1, "拾": 1, "百": 2, "佰": 2, "千": 3, "仟": 3, "万": 4, "亿": 8 };
  const SIMPLIFIED = { "貳": "贰", "兩": "两", "陸": "陆", "萬": "万", "億": "亿" };
  const DIGIT_CHARS = Object.keys(CN_DIGITS).join(""), UNIT_CHARS = Object.keys(CN_UNITS).join("");
  const NUMERAL = `[${DIGIT_CHARS}貳兩參陸柒捌玖壹肆伍${UNIT_CHARS}萬億]`;
  const RUN = `负?(?:${NUMERAL}+点)?${NUMERAL}+`;
  const RUNS = new RegExp(RUN, "g");
  const MEASURE_WORDS = "斤|克|千克|公斤|吨|米|厘米|毫米|公里|升|毫升|元|角|分|个|只|条|张|块|瓶|杯|份|本|辆|台|匹|头|位|亩|小时|分钟|秒|天|半";
  const BEFORE_MEASURE_WORD = new RegExp(`^(?:${MEASURE_WORDS})`);
  const HALF = new RegExp(`半(?=${MEASURE_WORDS})`, "g");
  // cn2an's date pattern also reads Arabic digits before 年; here the text has none (only "0.5" before a measure word).
  const DATE = new RegExp(`(?:(?:${RUN})年)?(?:${NUMERAL}+月)?(?:${NUMERAL}+日)?`, "g");
  const FRACTION = new RegExp(`${RUN}分之${RUN}`, "g");
  const PERCENT = new RegExp(`百分之(${RUN})`, "g");
  const CELSIUS = new RegExp(`(零下)?(${RUN})摄氏度`, "g");
  const CAPITAL_DIGITS = "壹贰貳叁參肆伍陆陸柒捌玖";

  // Transform.transform's passes, in its order; a run cn2an cannot read stays as written, as there.
  function transformed(text) {
    return text.replace(/廿/g, "二十")
      .replace(HALF, "0.5")
      .replace(DATE, (date) => everyRunConverted(date) || date)
      .replace(FRACTION, (fraction) => {
        const converted = fraction[0] === "百" ? null : everyRunConverted(fraction);
        if (!converted) return fraction;
        const [numerator, denominator] = converted.split("分之");
        return `${denominator}/${numerator}`;
      })
      .replace(PERCENT, (percent, run) => {
        const number = cn2an(run);
        return number === null ? percent : `${number}%`;
      })
      .replace(CELSIUS, (celsius, belowZero, run) => {
        const number = cn2an(run);
        return number === null ? celsius : `${belowZero ? "-" : ""}${number}℃`;
      })
      .replace(RUNS, (run, offset, whole) => {
        // 两 and a lone capital digit are words (二两, 伍) unless a measure word follows.
        const lone = run === "两" || (run.length === 1 && CAPITAL_DIGITS.includes(run));
        if (lone && !BEFORE_MEASURE_WORD.test(whole.slice(offset + run.length))) return run;
        const number = cn2an(run);
        return number === null ? run : number;
      });
  }

  // Every run of `text` converted, or null when one cannot be (cn2an then leaves the whole match as written).
  function everyRunConverted(text) {
    let failed = false;
    const converted = text.replace(RUNS, (run) => {
      const number = cn2an(run);
      failed = failed || number === null;
      return number;
    });
    return failed ? null : converted;
  }

  // cn2an's integer patterns (Cn2An.__get_pattern, "normal" mode), built the same way.
  const NORMAL_FORMS = {
    "零": "零〇", "一": "一壹幺", "二": "二贰两", "三": "三叁仨", "四": "四肆", "五": "五伍", "六": "六陆", "七": "七柒",
    "八": "八捌", "九": "九玖", "十": "十拾", "百": "百佰", "千": "千仟", "万": "万", "亿": "亿",
  };
  const INTEGER = (function () {
    const one9 = "[一二三四五六七八九]";
    const ten99 = `${one9}?[十]${one9}?`;
    const ten99WithOne = `${one9}[十]${one9}?`;
    const one99 = `(${ten99}|${one9})`;
    const hundred999 = `(${one9}[百]([零]${one9})?|${one9}[百]${ten99WithOne})`;
    const one999 = `(${hundred999}|${one99})`;
    const thousand9999 = `(${one9}[千]([零]${one99})?|${one9}[千]${hundred999})`;
    const one9999 = `(${thousand9999}|${one999})`;
    const tenThousands = `(${one9999}[万]([零]${one999})?|${one9999}[万]${thousand9999})`;
    const upToTenThousands = `(${tenThousands}|${one9999})`;
    const hundredMillions = `(${upToTenThousands}[亿]([零]${upToTenThousands})?|${upToTenThousands}[亿]${tenThousands})`;
    const pattern = `^([零]|(${hundredMillions}|${upToTenThousands}))$`;
    return new RegExp(pattern.replace(/[零一二三四五六七八九十百千万亿]/g, (char) => NORMAL_FORMS[char]));
  })();
  const DECIMALS = new RegExp("^[零一二三四五六七八九]{0,16}$".replace(/[零一二三四五六七八九]/g, (char) => NORMAL_FORMS[char]));
  const ALL_DIGITS = new RegExp(`^[${DIGIT_CHARS}]+$`);
  const SPOKEN = new RegExp(`^([${DIGIT_CHARS}]{0,2}[${UNIT_CHARS}])+[${DIGIT_CHARS}]$`); // 一万二, 三百四: the last unit implied
  const NEXT_UNIT_DOWN = { "百": "十", "佰": "十", "千": "百", "仟": "百", "万": "千" }; // cn2an fails after 十 and 亿
  // Cn2An.__normalize_integer_data: the zeros and ones speech leaves out (一万一百 → 一万零一百, 一百十 → 一百一十).
  const UNIT_GAPS = [
    [new RegExp(`(万)零(?=[${DIGIT_CHARS}][千仟])`, "g"), "$1"],
    [new RegExp(`([万亿])([${DIGIT_CHARS}][十拾百佰])`, "g"), "$1零$2"],
    [new RegExp(`([千仟])([${DIGIT_CHARS}]?[十拾])`, "g"), "$1零$2"],
    [/([百佰])([十拾])/g, "$1一$2"],
    [/零十/g, "零一十"],
    [/零拾/g, "零一拾"],
  ];

  // Cn2An.cn2an(run, "smart") for a run of Chinese numerals: the number as Python's str() writes it, or null
  // where cn2an raises.
  function cn2an(run) {
    if (run.includes("參")) return null; // simplified to 参, which cn2an does not read
    let text = Array.from(run, (char) => SIMPLIFIED[char] || char).join("").replace(/零十/g, "零一十").replace(/零百/g, "零一百");
    const negative = text[0] === "负";
    if (negative) text = text.slice(1);
    let [whole, fraction] = text.split("点");
    whole = UNIT_GAPS.reduce((written, [gap, filled]) => written.replace(gap, filled), whole);
    if (fraction !== undefined && !DECIMALS.test(fraction)) return null;
    let integer;
    if (INTEGER.test(whole)) {
      integer = unitsValue(whole);
    } else if (ALL_DIGITS.test(whole)) {
      integer = Array.from(whole, (char) => CN_DIGITS[char]).join("").replace(/^0+(?=\d)/, "");
    } else if (whole.length >= 3 && SPOKEN.test(whole)) {
      const lastUnit = SPOKEN.exec(whole)[1].slice(-1);
      if (!NEXT_UNIT_DOWN[lastUnit]) return null;
      integer = unitsValue(whole + NEXT_UNIT_DOWN[lastUnit]);
    } else {
      return null;
    }
    if (fraction === undefined) return negative && integer !== "0" ? `-${integer}` : integer; // -1 * 0 is 0
    // With a decimal part cn2an returns a float, which Python writes in its shortest form (as String does), but in
    // scientific notation below 0.0001 and from 10**16 (5e-05), which no phrase reads; -0.0 keeps its sign.
    const float = Number(`${integer}.${Array.from(fraction, (char) => CN_DIGITS[char]).join("")}`);
    if (float !== 0 && (float < 1e-4 || float >= 1e16)) return null;
    return (negative ? "-" : "") + String(float);
  }

  // Cn2An.__integer_convert, with units as powers of ten and the sum kept digit by digit (exact at any size).
  function unitsValue(text) {
    const digits = []; // digits[p] is the digit of 10**p
    const add = (digit, power) => {
      for (let p = power, carry = digit; carry; p++) {
        const sum = (digits[p] || 0) + carry;
        digits[p] = sum % 10;
        carry = Math.floor(sum / 10);
      }
    };
    let unit = 0, tenThousands = 0;
    const chars = Array.from(text).reverse();
    chars.forEach((char, index) => {
      if (CN_DIGITS[char] !== undefined) {
        add(CN_DIGITS[char], unit);
        return;
      }
      unit = CN_UNITS[char];
      if (unit >= 4) { // 万, 亿, and 万亿 when 万 stands above an 亿 already read
        if (unit > tenThousands) {
          tenThousands = unit;
        } else {
          tenThousands += unit;
          unit = tenThousands;
        }
      }
      if (unit < tenThousands) unit += tenThousands;
      if (index === chars.length - 1) add(1, unit); // 十三: a leading unit counts one
    });
    return Array.from({ length: digits.length }, (_, p) => digits[p] || 0).reverse().join("") || "0";
  }

  // ---- Suggestions (problems.py closest, difflib.SequenceMatcher) ------------------------------------------

  const SIMILAR_ENOUGH = 0.6;

  // The labels most like `name` (one containing the other counts too); none rather than a misleading one.
  function closest(name, labels, limit = 3) {
    const nameChars = Array.from(name);
    const scored = [];
    for (const label of labels) {
      const labelChars = Array.from(label);
      const contains = Math.min(nameChars.length, labelChars.length) >= 2 && (label.includes(name) || name.includes(label));
      const score = contains ? 1 : similarity(nameChars, labelChars);
      if (score >= SIMILAR_ENOUGH) scored.push([score, label]);
    }
    scored.sort((a, b) => b[0] - a[0] || byCodePoint(a[1], b[1]));
    return scored.slice(0, limit).map((entry) => entry[1]);
  }

  // Python orders strings by code point; JavaScript's < by UTF-16 unit, which differs beyond U+FFFF.
  function byCodePoint(a, b) {
    const x = Array.from(a), y = Array.from(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] !== y[i]) return x[i].codePointAt(0) - y[i].codePointAt(0);
    }
    return x.length - y.length;
  }

  // SequenceMatcher(None, a, b).ratio() (Ratcliff–Obershelp): twice the characters of the matching blocks over
  // both lengths. Without junk: difflib's autojunk only drops characters of a `b` of 200 or more, and `b` is a
  // registry label (at most 60 characters).
  function similarity(a, b) {
    const positions = new Map();
    b.forEach((char, j) => {
      if (!positions.has(char)) positions.set(char, []);
      positions.get(char).push(j);
    });
    let matched = 0;
    const pending = [[0, a.length, 0, b.length]];
    while (pending.length) {
      const [aLow, aHigh, bLow, bHigh] = pending.pop();
      const [i, j, size] = longestMatch(a, positions, aLow, aHigh, bLow, bHigh);
      if (!size) continue;
      matched += size;
      if (aLow < i && bLow < j) pending.push([aLow, i, bLow, j]);
      if (i + size < aHigh && j + size < bHigh) pending.push([i + size, aHigh, j + size, bHigh]);
    }
    const total = a.length + b.length;
    return total ? 2 * matched / total : 1;
  }

  // find_longest_match: the longest common block, the earliest in `a`, then in `b`, among equally long ones.
  function longestMatch(a, positions, aLow, aHigh, bLow, bHigh) {
    let bestI = aLow, bestJ = bLow, bestSize = 0;
    let runs = new Map(); // j → length of the match ending at a[i - 1], b[j]
    for (let i = aLow; i < aHigh; i++) {
      const next = new Map();
      for (const j of positions.get(a[i]) || []) {
        if (j < bLow) continue;
        if (j >= bHigh) break;
        const size = (runs.get(j - 1) || 0) + 1;
        next.set(j, size);
        if (size > bestSize) {
          bestI = i - size + 1;
          bestJ = j - size + 1;
          bestSize = size;
        }
      }
      runs = next;
    }
    return [bestI, bestJ, bestSize];
  }

  // ---- The schema: errors as jsonschema finds them, explained as schema._explain does ----------------------

  const TYPE_NAMES = {
    "string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false",
    "array": "列表（每项以 - 开头）", "object": "字段集合（每行 名称: 内容）", "null": "空",
  };
  const PATTERN_HINTS = [
    ["^\\d{4}", "写成 2022、2022-10 或 2022-10-31"],
    ["^https?", "只能是 http:// 或 https:// 开头、不含空格和引号的网址"],
    ["^[a-z0-9]+", "只能用小写字母、数字和连字符，如 jiushengci-fengchao"],
  ];

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  // A key the form has not filled is absent (or undefined).
  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key) && object[key] !== undefined;
  }

  const isNumber = (value) => typeof value === "number";

  const TYPE_TESTS = {
    "string": (value) => typeof value === "string",
    "integer": Number.isInteger, // jsonschema counts 2022.0 as an integer too
    "number": isNumber,
    "boolean": (value) => typeof value === "boolean",
    "array": Array.isArray,
    "object": isObject,
    "null": (value) => value === null,
  };

  // str() of a scalar, as Python's messages print it.
  function pythonText(value) {
    if (value === null) return "None";
    if (typeof value === "boolean") return value ? "True" : "False";
    return String(value);
  }

  function shown(value) {
    if (value === null) return "空值";
    if (typeof value === "boolean") return "true/false";
    if (Array.isArray(value)) return TYPE_NAMES.array;
    if (isObject(value)) return TYPE_NAMES.object;
    return `「${value}」`;
  }

  // A schema pattern as Python's re.search reads it: \d takes full-width digits too (an input method's ２０２２;
  // Python takes every script's digits), and a final $ also matches before a final newline.
  function pythonPattern(pattern) {
    return new RegExp(pattern.replace(/\\d/g, "[0-9０-９]").replace(/\$$/, "\\n?$"));
  }

  function definition(root, reference) {
    // The case schema refers only to its own $defs.
    return root.$defs[reference.split("#/$defs/")[1]];
  }

  // Every error of `value` against `node`, appended to `found` as [path, message]. $ref and the keywords beside it
  // both apply (summary: prose's 2000 characters and its own 300), as in JSON Schema 2020-12 and jsonschema (the
  // fastjsonschema shortcut of `casebook validate` skips the latter: see tests/test_record_check.py).
  function schemaProblems(root, node, value, path, found) {
    const problem = (message, at = path) => found.push([at, message]);
    if (node.$ref) schemaProblems(root, definition(root, node.$ref), value, path, found);
    if (node.type !== undefined) {
      const expected = Array.isArray(node.type) ? node.type : [node.type];
      if (!expected.some((type) => TYPE_TESTS[type](value))) {
        if (path[path.length - 1] === "value" && (isNumber(value) || typeof value === "boolean")) {
          const number = pythonText(value);
          problem(`数值要连同单位按原文写成文字，如「${number}人」「${number}个」，这里只写了数字 ${number}`);
        } else {
          problem(`应为${expected.map((type) => TYPE_NAMES[type]).join("或")}，这里写的是${shown(value)}`);
        }
      }
    }
    if (node.enum && !node.enum.some((choice) => choice === value)) {
      problem(`「${pythonText(value)}」不在可选范围内（可选：${node.enum.map(pythonText).join("、")}）`);
    }
    if (typeof value === "string") {
      if (node.pattern !== undefined && !pythonPattern(node.pattern).test(value)) {
        problem(`格式不对：「${value}」（${hint(root, path)}）`);
      }
      const length = Array.from(value).length;
      if (node.minLength !== undefined && length < node.minLength) problem(`长度为 ${length} 个字，至少 ${node.minLength} 个字`);
      if (node.maxLength !== undefined && length > node.maxLength) problem(`长度为 ${length} 个字，最多 ${node.maxLength} 个字`);
    }
    if (isNumber(value)) {
      if (node.minimum !== undefined && value < node.minimum) problem(`数值 ${value} 超出范围（不小于 ${node.minimum}）`);
      if (node.maximum !== undefined && value > node.maximum) problem(`数值 ${value} 超出范围（不大于 ${node.maximum}）`);
    }
    if (isObject(value)) {
      for (const name of node.required || []) {
        if (!has(value, name)) problem(`缺少必填字段，请补上「${name}:」`, path.concat(name));
      }
      for (const name of Object.keys(node.properties || {})) {
        if (has(value, name)) schemaProblems(root, node.properties[name], value[name], path.concat(name), found);
      }
    }
    if (node.const !== undefined && value !== node.const) problem(`只能是 ${pythonText(node.const)}`);
    // Conditions between fields (sources.yml: an estimated date needs date_note, a URL needs its access date).
    for (const part of node.allOf || []) {
      if (part.if === undefined) {
        schemaProblems(root, part, value, path, found);
        continue;
      }
      const tried = [];
      schemaProblems(root, part.if, value, path, tried);
      if (!tried.length && part.then) schemaProblems(root, part.then, value, path, found);
    }
    if (Array.isArray(value)) {
      if (node.minItems !== undefined && value.length < node.minItems) problem(`至少要有 ${node.minItems} 项`);
      if (node.uniqueItems) {
        const items = value.map((item) => typeof item + JSON.stringify(item)); // the lists that need it hold scalars
        if (new Set(items).size < items.length) problem("列表中有重复的项");
      }
      if (node.items) value.forEach((item, index) => schemaProblems(root, node.items, item, path.concat(index), found));
    }
  }

  function hint(root, path) {
    const pattern = resolved(root, subschema(root, path)).pattern || "";
    const known = PATTERN_HINTS.find(([prefix]) => pattern.startsWith(prefix));
    return known ? known[1] : `应匹配 ${pattern}`;
  }

  function subschema(root, path) {
    let node = root;
    for (const key of path) {
      node = resolved(root, node);
      node = (typeof key === "number" ? node.items : (node.properties || {})[key]) || {};
    }
    return node;
  }

  // `node` with what its $ref points at, its own keywords winning (schema._resolve).
  function resolved(root, node) {
    if (!node.$ref) return node;
    const own = Object.assign({}, node);
    delete own.$ref;
    return Object.assign({}, definition(root, node.$ref), own);
  }

  // A field as an editor reads it (schema.field_label): ["statistics", 2, "metric"] → 第3条数据 · 指标（metric）.
  function fieldLabel(root, path) {
    let node = root;
    const parts = [];
    for (const key of path) {
      node = resolved(root, node);
      if (typeof key === "number") {
        const listed = parts.length ? parts.pop() : "";
        parts.push(listed ? `第${key + 1}条${listed}` : `第${key + 1}项`);
        node = node.items || {};
      } else {
        node = (node.properties || {})[key] || {};
        parts.push(node.title === undefined ? key : node.title);
      }
    }
    const last = path[path.length - 1];
    if (typeof last === "string" && parts[parts.length - 1] !== last) parts[parts.length - 1] += `（${last}）`;
    return parts.join(" · ");
  }

  // ---- The checks against the registries (validate.case and _statistic) -----------------------------------

  const REGISTER = {
    "做法": "若是新做法，请在 cases/practices.yml 末尾登记（id、name、description，说明用自己的话写）",
    "问题": "若是新问题，请在 cases/problems.yml 末尾登记（id、name、aliases、description，用基层工作者自己的说法）",
    "指标": "若是新指标，请在 cases/metrics.yml 末尾登记（id、name、unit、definition）",
    "来源编号": "新来源请先在 cases/sources.yml 登记",
  };
  const NO_SUCH_DAY = (date) => `日期「${date}」不存在（这个月没有这一天），请核对原文`;

  // Every name and alias of a registry's entries → the entry's name.
  function labelsOf(entries) {
    const labels = new Map();
    entries.forEach((entry) => [entry.name].concat(entry.aliases || []).forEach((label) => labels.set(label, entry.name)));
    return labels;
  }

  // validate._unknown: an alias names its entry; otherwise the closest names (aliases count, as their entry's
  // name) and how to register a new one.
  function unknown(what, name, labels) {
    const canonical = labels.get(name);
    if (canonical !== undefined && canonical !== name) return `「${name}」是「${canonical}」的别名，请写「${canonical}」`;
    const suggestions = Array.from(new Set(closest(name, labels.keys(), 6).map((label) => labels.get(label)))).slice(0, 3);
    const suggested = suggestions.length ? `，是不是：${suggestions.join("、")}？` : "";
    return `未知的${what}「${name}」${suggested}${suggested ? "" : "。"}${REGISTER[what]}`;
  }

  function identity(names) {
    return new Map(names.map((name) => [name, name]));
  }

  // `ready(path)`: whether the part of the record at `path` passed the schema (always, as Python runs these).
  function registryProblems(record, data, found, ready) {
    const vocabularies = [["practices", "做法", data.practices], ["problems", "问题", data.problems]];
    for (const [field, what, entries] of vocabularies) {
      const names = new Set(entries.map((entry) => entry.name));
      const labels = labelsOf(entries);
      if (!ready([field])) continue;
      (record[field] || []).forEach((name, index) => {
        if (!names.has(name)) found.push([[field, index], unknown(what, name, labels)]);
      });
    }
    const sources = identity(data.sources.map((source) => source.id));
    if (ready(["sources"])) {
      (record.sources || []).forEach((id, index) => {
        if (!sources.has(id)) found.push([["sources", index], unknown("来源编号", id, sources)]);
      });
    }
    (record.statistics || []).forEach((entry, index) => statisticProblems(entry, ["statistics", index], record, data, found, ready));
    if (ready(["since"]) && ready(["year"]) && record.since && record.since > record.year) {
      found.push([["since"], `起始年份 ${record.since} 晚于年份 ${record.year}`]);
    }
  }

  function statisticProblems(entry, path, record, data, found, ready) {
    const at = (field) => path.concat(field);
    let parsed = null;
    if (ready(at("value"))) {
      try {
        parsed = quantity(entry.value);
      } catch (error) {
        if (!(error instanceof NumberPhraseError)) throw error;
        found.push([at("value"), error.message]);
      }
    }
    if (data.metrics.length && ready(at("metric"))) { // a catalogue exists: every statistic names one of its metrics, in its unit
      const metric = data.metrics.find((candidate) => candidate.name === entry.metric);
      if (!metric) {
        found.push([at("metric"), unknown("指标", entry.metric, labelsOf(data.metrics))]);
      } else if (parsed && parsed.unit !== "" && parsed.unit !== metric.unit && !metric.otherUnits.includes(parsed.unit)) {
        const unit = parsed.unit;
        const accepted = [metric.unit].concat(metric.otherUnits).map((name) => `「${name}」`).join("、");
        found.push([at("value"), `单位「${unit}」不是指标「${metric.name}」的单位（可用：${accepted}）：请换用单位相同的指标；` +
          `若「${unit}」与「${metric.unit}」说的是同一单位，在 cases/metrics.yml 该指标下加 other_units: [${unit}]`]);
      }
    }
    if (ready(at("as_of")) && !isCalendarDate(entry.as_of)) found.push([at("as_of"), NO_SUCH_DAY(entry.as_of)]);
    const sources = identity(data.sources.map((source) => source.id));
    if (!ready(at("source"))) return;
    if (!sources.has(entry.source)) {
      found.push([at("source"), unknown("来源编号", entry.source, sources)]);
    } else if (!(record.sources || []).includes(entry.source)) {
      found.push([at("source"), `来源「${entry.source}」没有列在本案例的 sources 里，请一并加上`]);
    }
  }

  // The schema checks the form (months 01–12, days 01–31); a full date must also be a real day, as
  // date.fromisoformat reads it (ASCII digits, no year 0).
  function isCalendarDate(value) {
    const text = String(value);
    if (text.length < 10) return true;
    const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!parts) return false;
    const [year, month, day] = parts.slice(1).map(Number);
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    return year >= 1 && day >= 1 && day <= days;
  }

  // ---- The record ----------------------------------------------------------------------------------------

  // Every problem `casebook validate` would report for this record, given edit/editor.json's `data`:
  // [{path, label, message}]. As there, the registries are consulted only once the schema check passes.
  // `asTyped` (the editor's page): the registry checks also run on the parts of a half-filled record that already
  // pass the schema, so an unknown practice is named while the summary is still empty. `casebook validate` runs
  // them only on a record with no schema problem; on such a record both give the same list.
  function check(record, data, asTyped) {
    const found = [];
    schemaProblems(data.schema, data.schema, record, [], found);
    if (!found.length) {
      registryProblems(record, data, found, () => true);
    } else if (asTyped) {
      const unready = found.map(([path]) => path);
      // A part is ready when no schema problem lies in it or over it: neither path starts the other.
      const ready = (path) => !unready.some((other) => other.slice(0, path.length).every((key, n) => key === path[n]) ||
        path.slice(0, other.length).every((key, n) => key === other[n]));
      registryProblems(record, data, found, ready);
    }
    return found.map(([path, message]) => ({ path, label: fieldLabel(data.schema, path), message }));
  }

  // Sources a contributor registers with the record (entries to add to sources.yml), as `casebook validate` checks
  // sources.yml: its schema (`data.sourcesSchema`), days that exist, and ids registered once.
  function checkSources(entries, data) {
    const found = [];
    schemaProblems(data.sourcesSchema, data.sourcesSchema, entries, [], found);
    const registered = new Set(data.sources.map((source) => source.id));
    entries.forEach((entry, index) => {
      if (!isObject(entry)) return;
      for (const key of ["date", "accessed"]) {
        if (has(entry, key) && !isCalendarDate(entry[key])) found.push([[index, key], NO_SUCH_DAY(entry[key])]);
      }
      if (registered.has(entry.id)) found.push([[index, "id"], `来源编号「${entry.id}」重复登记`]);
      registered.add(entry.id);
    });
    return found.map(([path, message]) => ({ path, label: fieldLabel(data.sourcesSchema, path), message }));
  }

  const CasebookCheck = { check, checkSources, quantity, fieldLabel, closest };
  scope.CasebookCheck = CasebookCheck;
  if (typeof module !== "undefined" && module.exports) module.exports = CasebookCheck;
})(typeof self !== "undefined" ? self : this);
