import { describe, expect, it } from 'vitest'
import {
  durationMsVar,
  fractionVar,
  intVar,
  listVar,
  onOffVar,
  oneOfVar,
  optionalTextVar,
  parsePositiveInt,
  positiveNumberVar,
  requiredTextVar,
} from './vars'

const issue = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues[0]?.message

describe('var pieces', () => {
  it('treat unset and blank alike: the default', () => {
    for (const raw of [undefined, '', '   ']) {
      expect(intVar(7).parse(raw)).toBe(7)
      expect(onOffVar('on').parse(raw)).toBe(true)
      expect(listVar().parse(raw)).toEqual([])
      expect(optionalTextVar().parse(raw)).toBeUndefined()
    }
  })

  it('intVar takes whole numbers of at least its minimum, trimmed', () => {
    expect(intVar(1).parse(' 42 ')).toBe(42)
    expect(intVar(1, { min: 0 }).parse('0')).toBe(0)
    for (const raw of ['0', '-3', '1.5', 'ten', '9007199254740993']) {
      expect(issue(intVar(1).safeParse(raw)), raw).toBe('must be a whole number of at least 1')
    }
    expect(issue(intVar(300, { min: 60 }).safeParse('59'))).toBe('must be a whole number of at least 60')
  })

  it('durationMsVar is a positive whole number of ms', () => {
    expect(durationMsVar(5_000).parse('250')).toBe(250)
    expect(durationMsVar(5_000).safeParse('0').success).toBe(false)
  })

  it('positiveNumberVar allows fractions, never zero or less', () => {
    expect(positiveNumberVar(2).parse('0.5')).toBe(0.5)
    expect(issue(positiveNumberVar(2).safeParse('0'))).toBe('must be a positive number')
    expect(positiveNumberVar(2).safeParse('NaN').success).toBe(false)
  })

  it('fractionVar is 0..1', () => {
    expect(fractionVar(1).parse('0')).toBe(0)
    expect(fractionVar(1).parse('0.25')).toBe(0.25)
    expect(issue(fractionVar(1).safeParse('1.01'))).toBe('must be a number from 0 to 1')
    expect(fractionVar(1).safeParse('-0.1').success).toBe(false)
  })

  it('oneOfVar and onOffVar take their values exactly', () => {
    expect(oneOfVar(['sandbox']).parse('sandbox')).toBe('sandbox')
    expect(issue(oneOfVar(['sandbox']).safeParse(undefined))).toBe('is required')
    expect(issue(oneOfVar(['a', 'b'], 'a').safeParse('c'))).toBe('must be one of a, b')
    expect(onOffVar('on').parse('off')).toBe(false)
    expect(onOffVar('off').parse('on')).toBe(true)
    expect(issue(onOffVar('on').safeParse('OFF'))).toBe('must be one of on, off')
  })

  it('requiredTextVar refuses unset and blank', () => {
    expect(requiredTextVar().parse(' edge-commerce-api ')).toBe('edge-commerce-api')
    expect(issue(requiredTextVar().safeParse(''))).toBe('is required')
    expect(issue(requiredTextVar().safeParse(undefined))).toBe('is required')
  })

  it('listVar splits on commas and drops blanks', () => {
    expect(listVar().parse('a.example, b.example,,')).toEqual(['a.example', 'b.example'])
  })

  it('refuse a value that is not text (a binding where a var was expected)', () => {
    expect(intVar(1).safeParse(5 as unknown as string).success).toBe(false)
  })
})

describe('parsePositiveInt (the lenient reading OpenTelemetry vars use)', () => {
  it('is undefined when unset, null when malformed', () => {
    expect(parsePositiveInt(undefined)).toBeUndefined()
    expect(parsePositiveInt(' ')).toBeUndefined()
    expect(parsePositiveInt('12')).toBe(12)
    expect(parsePositiveInt('-1')).toBeNull()
  })
})
