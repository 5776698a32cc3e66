/**
 * Chinese personal names, phone numbers and employer names. No value produced here
 * contains a comma, quote, tab or line break (the CSV fast path relies on it).
 */
import { WeightedTable, type Rng } from './random.ts';

/** Common surnames with rough frequency weights (Sichuan ordering). */
const SURNAMES = new WeightedTable<string>([
  ['王', 70], ['李', 75], ['张', 60], ['刘', 55], ['陈', 55], ['杨', 42], ['黄', 25], ['赵', 20], ['吴', 20], ['周', 22],
  ['徐', 14], ['孙', 10], ['马', 12], ['朱', 11], ['胡', 14], ['郭', 10], ['何', 20], ['高', 10], ['林', 8], ['罗', 22],
  ['郑', 8], ['梁', 8], ['谢', 14], ['宋', 7], ['唐', 18], ['许', 6], ['韩', 5], ['冯', 8], ['邓', 16], ['曹', 6],
  ['彭', 10], ['曾', 12], ['肖', 10], ['田', 8], ['董', 6], ['袁', 9], ['潘', 5], ['于', 4], ['蒋', 9], ['蔡', 5],
  ['余', 9], ['杜', 7], ['叶', 5], ['程', 5], ['苏', 5], ['魏', 5], ['吕', 4], ['丁', 4], ['任', 8], ['沈', 3],
  ['姚', 4], ['卢', 5], ['姜', 3], ['崔', 2], ['钟', 5], ['谭', 6], ['陆', 3], ['汪', 4], ['范', 5], ['金', 3],
  ['石', 5], ['廖', 9], ['贾', 3], ['夏', 4], ['韦', 2], ['付', 6], ['方', 3], ['白', 3], ['邹', 5], ['孟', 2],
  ['熊', 6], ['秦', 3], ['邱', 4], ['江', 4], ['尹', 3], ['薛', 2], ['闫', 2], ['段', 4], ['雷', 5], ['侯', 3],
  ['龙', 4], ['史', 2], ['陶', 3], ['黎', 3], ['贺', 3], ['顾', 2], ['毛', 3], ['郝', 2], ['龚', 3], ['邵', 2],
  ['万', 3], ['钱', 2], ['严', 2], ['覃', 1], ['武', 2], ['戴', 2], ['莫', 2], ['孔', 1], ['向', 4], ['汤', 2],
  ['赖', 3], ['文', 4], ['蒲', 3], ['税', 1], ['苟', 2], ['母', 1], ['敬', 1], ['冉', 2],
]);

const MALE_CHARS = '伟强军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林洋磊成康兵峰建国志文斌海东亮松林川江毅坤彬德福贵荣昌盛才虎豪锐晨阳'.split('');
const FEMALE_CHARS = '芳娜敏静丽艳娟霞秀英华慧巧美玲婷雪琴云莲红梅兰凤洁琳素燕萍春菊月珍翠茜蓉倩颖晶欢媛佳怡欣悦蕾薇丹瑶露莉桂芬'.split('');

/** 彝族 names (凉山): clan name + given name. */
const YI_CLANS = ['吉克', '沙马', '阿说', '曲比', '阿苦', '俄木', '吉木', '海来', '马海', '勒格', '阿克', '吉伍', '的日', '瓦其', '日火', '阿尔', '尔古', '苏呷', '木乃', '孙子'];
const YI_GIVEN_MALE = ['拉哈', '尔古', '子布', '伍各', '石一', '有色', '木呷', '拉则', '阿牛', '尔布', '伍呷', '乃古', '日体', '尔者', '克哈'];
const YI_GIVEN_FEMALE = ['阿依', '阿果', '阿呷', '阿芝', '日嫫', '依莫', '金呷', '拉莫', '尔作', '石各', '阿支', '曲木', '木果'];
/** 藏族 names (甘孜, 阿坝): two name elements. */
const TIBETAN_MALE = ['扎西', '次仁', '多吉', '格桑', '泽仁', '益西', '达瓦', '尼玛', '洛绒', '四郎', '呷绒', '泽郎', '降措', '登珠', '土登', '向秋', '仁青', '贡布'];
const TIBETAN_FEMALE = ['卓玛', '拉姆', '央金', '措姆', '曲珍', '志玛', '拥措', '卓嘎', '央宗', '泽珍', '格桑', '德吉', '尼玛', '达娃'];

export type NameStyle = 'han' | 'yi' | 'tibetan';

export function personName(rng: Rng, male: boolean, style: NameStyle): string {
  if (style === 'yi') return rng.pick(YI_CLANS) + rng.pick(male ? YI_GIVEN_MALE : YI_GIVEN_FEMALE);
  if (style === 'tibetan') {
    const list = male ? TIBETAN_MALE : TIBETAN_FEMALE;
    const a = rng.pick(list);
    let b = rng.pick(list);
    if (b === a) b = rng.pick(list);
    return rng.chance(0.3) ? a : a + b;
  }
  const chars = male ? MALE_CHARS : FEMALE_CHARS;
  const surname = SURNAMES.draw(rng);
  return rng.chance(0.72) ? surname + rng.pick(chars) + rng.pick(chars) : surname + rng.pick(chars);
}

/** Mobile phone prefixes (1[3-9]x). */
const MOBILE_PREFIXES = ['130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159',
  '166', '173', '176', '177', '178', '180', '181', '182', '183', '184', '185', '186', '187', '188', '189', '191', '195', '198', '199'];

export function mobilePhone(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + String(rng.int(100_000_000)).padStart(8, '0');
}

const BRAND_A = '鸿华金永恒宏新天盛鑫远嘉瑞丰利祥兴泰安顺达富佳创德锦'.split('');
const BRAND_B = '达兴盛源泰辉图宇丰发通成业信隆昌旺茂和美立升腾翔'.split('');
const BUSINESS: Readonly<Record<string, readonly string[]>> = {
  A: ['农业开发', '养殖', '种植专业合作社', '农业科技'],
  B: ['矿业', '石材'],
  C: ['电子', '五金制品', '塑胶制品', '服装', '家具', '机械', '鞋业', '食品', '包装', '纺织', '汽车配件', '光电'],
  E: ['建筑工程', '建设', '劳务', '装饰工程', '路桥工程'],
  F: ['商贸', '超市', '贸易', '电器'],
  G: ['物流', '运输', '快递'],
  H: ['餐饮管理', '酒店', '餐饮'],
  I: ['网络科技', '信息技术'],
  K: ['物业管理', '房地产经纪'],
  L: ['人力资源', '保安服务', '商务服务'],
  N: ['环境卫生', '园林绿化'],
  O: ['家政服务', '维修服务', '美容美发'],
  P: ['培训学校'],
  Q: ['康养', '医疗器械'],
  R: ['文化传媒'],
};
const SUFFIX = ['有限公司', '有限公司', '有限公司', '有限责任公司', '股份有限公司'];

/** A company-like employer name located in `place` (short place name, e.g. 东莞). */
export function employerName(rng: Rng, place: string, industry: string): string {
  const business = rng.pick(BUSINESS[industry] ?? BUSINESS.C);
  const brand = rng.pick(BRAND_A) + rng.pick(BRAND_B);
  if (business.endsWith('合作社')) return `${place}${brand}${business}`;
  return `${place}${rng.chance(0.5) ? '市' : ''}${brand}${business}${rng.pick(SUFFIX)}`;
}

const SHOPS = ['小吃店', '便利店', '五金店', '理发店', '农家乐', '水果店', '快餐店', '建材店', '修理部', '服装店'];
/** A self-employed business name, or the generic 灵活就业. */
export function selfEmployedName(rng: Rng, surnameSource: string): string {
  const r = rng.next();
  if (r < 0.3) return '灵活就业';
  if (r < 0.45) return '个体经营';
  return `${surnameSource.slice(0, 1)}记${rng.pick(SHOPS)}`;
}

const ABROAD_EMPLOYERS = ['中建海外项目部', '中铁海外工程部', '中国水电海外项目部', '中交海外项目部', '境外劳务合作项目', '远洋渔业公司'];
export function abroadEmployer(rng: Rng): string {
  return rng.pick(ABROAD_EMPLOYERS);
}

/** Short place name: 成都市 → 成都, 凉山彝族自治州 → 凉山, 武侯区 → 武侯. */
export function shortPlaceName(name: string): string {
  const m = /^(.{2,}?)(?:[彝藏羌回]族.*自治[州县]|自治州|市|州|地区|县|区)$/.exec(name);
  return m ? m[1] : name;
}
