import { z } from 'zod'

/**
 * The ISO 4217 codes a price can be in: every currency in circulation today (list A.1 of the
 * standard). Left out on purpose: codes for funds (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI,
 * UYW), precious metals (XAU, XAG, XPD, XPT), bond-market units (XBA–XBD), special drawing
 * rights and regional units (XDR, XSU, XUA), testing (XTS) and "no currency" (XXX); and
 * withdrawn codes (ANG, CUC, HRK, SLL, ZWL, …). Adding a code here is a compatible change;
 * removing one is not.
 */
export const ISO_4217_CURRENCIES = [
  'AED', 'AFN', 'ALL', 'AMD', 'AOA', 'ARS', 'AUD', 'AWG', 'AZN', 'BAM', 'BBD', 'BDT', 'BHD', 'BIF', 'BMD', 'BND',
  'BOB', 'BRL', 'BSD', 'BTN', 'BWP', 'BYN', 'BZD', 'CAD', 'CDF', 'CHF', 'CLP', 'CNY', 'COP', 'CRC', 'CUP', 'CVE',
  'CZK', 'DJF', 'DKK', 'DOP', 'DZD', 'EGP', 'ERN', 'ETB', 'EUR', 'FJD', 'FKP', 'GBP', 'GEL', 'GHS', 'GIP', 'GMD',
  'GNF', 'GTQ', 'GYD', 'HKD', 'HNL', 'HTG', 'HUF', 'IDR', 'ILS', 'INR', 'IQD', 'IRR', 'ISK', 'JMD', 'JOD', 'JPY',
  'KES', 'KGS', 'KHR', 'KMF', 'KPW', 'KRW', 'KWD', 'KYD', 'KZT', 'LAK', 'LBP', 'LKR', 'LRD', 'LSL', 'LYD', 'MAD',
  'MDL', 'MGA', 'MKD', 'MMK', 'MNT', 'MOP', 'MRU', 'MUR', 'MVR', 'MWK', 'MXN', 'MYR', 'MZN', 'NAD', 'NGN', 'NIO',
  'NOK', 'NPR', 'NZD', 'OMR', 'PAB', 'PEN', 'PGK', 'PHP', 'PKR', 'PLN', 'PYG', 'QAR', 'RON', 'RSD', 'RUB', 'RWF',
  'SAR', 'SBD', 'SCR', 'SDG', 'SEK', 'SGD', 'SHP', 'SLE', 'SOS', 'SRD', 'SSP', 'STN', 'SVC', 'SYP', 'SZL', 'THB',
  'TJS', 'TMT', 'TND', 'TOP', 'TRY', 'TTD', 'TWD', 'TZS', 'UAH', 'UGX', 'USD', 'UYU', 'UZS', 'VED', 'VES', 'VND',
  'VUV', 'WST', 'XAF', 'XCD', 'XCG', 'XOF', 'XPF', 'YER', 'ZAR', 'ZMW', 'ZWG',
] as const

const KNOWN: ReadonlySet<string> = new Set(ISO_4217_CURRENCIES)

/**
 * A currency as requests send it: one of the codes above, in upper case (`EUR`, never `eur` or
 * `ABC`). One check, so a wrong value is one field error; the document still shows the pattern.
 */
export const CurrencySchema = z
  .string()
  .refine((code) => KNOWN.has(code), 'must be an ISO 4217 currency code in circulation, in upper case (e.g. EUR or USD)')
  .meta({ description: 'An ISO 4217 currency code in circulation (e.g. `EUR`, `USD`, `JPY`).', pattern: '^[A-Z]{3}$', example: 'EUR' })
