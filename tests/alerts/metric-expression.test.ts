import { describe, expect, test } from 'vitest';
import { compileExpression, ExpressionError } from '../../alerts/metric-expression.ts';

describe('metric expressions', () => {
  test('arithmetic with precedence, unary minus and parentheses', () => {
    expect(compileExpression('1 + 2 * 3').evaluate({})).toBe(7);
    expect(compileExpression('(1 + 2) * 3').evaluate({})).toBe(9);
    expect(compileExpression('-a - -b', ['a', 'b']).evaluate({ a: 2, b: 5 })).toBe(3);
    expect(compileExpression('100 * (rate - prev_rate)', ['rate', 'prev_rate']).evaluate({ rate: 0.08, prev_rate: 0.03 })).toBeCloseTo(5, 10);
    expect(compileExpression('1.5e2 / 3').evaluate({})).toBe(50);
  });

  test('missing values and division by zero give null; coalesce replaces null', () => {
    const e = compileExpression('a / b', ['a', 'b']);
    expect(e.evaluate({ a: 1, b: 0 })).toBeNull();
    expect(e.evaluate({ a: 1, b: null })).toBeNull();
    expect(e.evaluate({ a: 1 })).toBeNull();
    expect(compileExpression('coalesce(a, 0) + 1', ['a']).evaluate({ a: null })).toBe(1);
  });

  test('Wilson interval bounds match published values', () => {
    // 10 of 100 at 95%: [0.0552, 0.1744] (Wilson 1927; e.g. Newcombe 1998, method 3).
    expect(compileExpression('wilson_lower(10, 100)').evaluate({})).toBeCloseTo(0.0552, 4);
    expect(compileExpression('wilson_upper(10, 100)').evaluate({})).toBeCloseTo(0.1744, 4);
    expect(compileExpression('wilson_lower(0, 20)').evaluate({})).toBe(0);
    expect(compileExpression('wilson_lower(1, 0)').evaluate({})).toBeNull();
  });

  test('Poisson and two-proportion z statistics', () => {
    expect(compileExpression('poisson_z(30, 9)').evaluate({})).toBe(7);
    expect(compileExpression('poisson_z(3, 0.2)').evaluate({})).toBe(2.8); // expectation floored at 1
    // 60/200 vs 40/200: p = 0.25, se = sqrt(.25*.75*(2/200)) = 0.0433; z = 0.1/0.0433 = 2.309
    expect(compileExpression('prop_z(60, 200, 40, 200)').evaluate({})).toBeCloseTo(2.3094, 4);
    expect(compileExpression('max(1, 5, 3) + min(2, -1) + abs(-2) + sqrt(16)').evaluate({})).toBe(10);
  });

  test('errors name the problem and its position', () => {
    expect(() => compileExpression('rate +', ['rate'])).toThrow(/unexpected end of expression at position 7/);
    expect(() => compileExpression('rate * unknown_thing', ['rate'])).toThrow(/unknown quantity 'unknown_thing'/);
    expect(() => compileExpression('drop_table(1)')).toThrow(/unknown function 'drop_table' at position 1/);
    expect(() => compileExpression('wilson_lower(1)')).toThrow(/takes 2-3 arguments, got 1/);
    expect(() => compileExpression('a; DROP TABLE x', ['a'])).toThrow(ExpressionError);
    expect(() => compileExpression('(1 + 2')).toThrow(/expected '\)'/);
    expect(() => compileExpression('  ')).toThrow(/empty expression/);
  });

  test('names lists the quantities read', () => {
    expect([...compileExpression('poisson_z(lost, expected) + share', ['lost', 'expected', 'share']).names].sort()).toEqual(['expected', 'lost', 'share']);
  });
});
