// The Chinese dictionary against the English one: the same keys (the type says so too), the same
// {placeholders} in every message, d2l's Chinese class names, and translate() picking them.

import { describe, expect, it } from 'vitest';
import { en } from '../../../renderer/i18n/en';
import { zh } from '../../../renderer/i18n/zh';
import { className, LANGUAGES, translate } from '../../../renderer/i18n';

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('zh dictionary', () => {
  it('has exactly the English keys', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('keeps every placeholder of every message', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect({ key, p: placeholders(zh[key]) }).toEqual({ key, p: placeholders(en[key]) });
    }
  });

  it('uses the class names of d2l\'s Chinese edition', () => {
    expect(Array.from({ length: 10 }, (_, k) => className('zh', k))).toEqual(['T恤/上衣', '裤子', '套衫', '连衣裙', '外套', '凉鞋', '衬衫', '运动鞋', '包', '短靴']);
    expect(className('en', 9)).toBe('Ankle boot');
  });

  it('is offered by the language switch and fills placeholders', () => {
    expect(LANGUAGES.map((l) => l.name)).toEqual(['English', '简体中文']);
    expect(translate('zh', 'confusion.cell', { count: 3, true: '衬衫', predicted: 'T恤/上衣' })).toBe('3 张衬衫图像被预测为T恤/上衣');
    expect(translate('zh', 'language.label')).toBe('语言');
  });
});
