import { describe, expect, it } from '@jest/globals';
import { contrastTextColor, parseThemeColor } from './theme-color';

describe('parseThemeColor', () => {
  it('should accept #RRGGBB and #RGB, normalised to lowercase #rrggbb', () => {
    expect(parseThemeColor('#3399CC')?.accent).toBe('#3399cc');
    expect(parseThemeColor('#39c')?.accent).toBe('#3399cc');
  });

  it('should ignore anything else', () => {
    for (const value of [null, undefined, '', 'red', '3399cc', '#3399c', '#3399ccff', 'rgb(0,0,0)', '#39c;x:url(a)']) {
      expect(parseThemeColor(value)).toBeNull();
    }
  });
});

describe('contrastTextColor', () => {
  it('should pick white on dark accents and near-black on light ones', () => {
    expect(contrastTextColor('#1a1f71')).toBe('#ffffff');
    expect(contrastTextColor('#3399cc')).toBe('#ffffff');
    expect(contrastTextColor('#ffd400')).toBe('#111827');
    expect(contrastTextColor('#ff9900')).toBe('#111827');
    expect(contrastTextColor('#ffffff')).toBe('#111827');
  });
});
