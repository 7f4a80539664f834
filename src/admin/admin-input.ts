import { isUUID } from 'class-validator';
import { PaymentsException } from '../errors/payments.exception.js';

/** A company and its Stripe Checkout 1.0 settings, as a host sets them up. */
export interface CompanyInput {
  id: string;
  name: string;
  /** The connected account (`acct_...`) payments go to; null until the company has one. */
  stripeAccountId: string | null;
  /** ISO 4217, e.g. `SEK`. */
  currency: string;
  checkoutEnabled: boolean;
  defaultConfirmationUrl?: string | null;
  defaultCancelUrl?: string | null;
  /** Hosts a ConfirmationUrl/CancelUrl may point at; null or absent = any public https host. */
  redirectHostAllowlist?: string[] | null;
  /** 30..1440; default 60. */
  sessionLifetimeMinutes?: number;
}

export interface ArticlePriceInput {
  /** ISO 3166-1 alpha-2; null is the article's default price. */
  countryCode: string | null;
  currency: string;
  /** Integer minor units (öre, cents): 45000 is 450.00 SEK. */
  unitAmount: number;
  /** 0..100, at most two decimals: 25 is 25 %. */
  vatPercent: number;
}

export interface ArticleInput {
  companyId: string;
  /** The company's own article id, as callers send it in `Articles[].ArticleId`. */
  articleId: number;
  /** 1 Service, 2 PunchTicket, 3 ValueCard, 4 GiftCard. */
  articleTypeId: number;
  name: string;
  active: boolean;
  /** Every price of the article; they replace the ones it had. */
  prices: ArticlePriceInput[];
}

export interface ApiKeyInput {
  /** null: a platform key, allowed for every company. */
  companyId: string | null;
  name: string;
  /** An existing key to import; a new random one is made when absent. */
  key?: string;
}

/** Stripe's largest amount in a currency's minor units. */
export const MAX_UNIT_AMOUNT = 99_999_999;

const ARTICLE_TYPES = [1, 2, 3, 4];

export function checkCompany(input: CompanyInput): void {
  uuid('id', input.id);
  text('name', input.name, 200);
  if (input.stripeAccountId !== null) {
    check(
      'stripeAccountId',
      /^acct_[A-Za-z0-9]{1,250}$/.test(String(input.stripeAccountId)),
      'must be acct_... or null',
    );
  }
  currency('currency', input.currency);
  check('checkoutEnabled', typeof input.checkoutEnabled === 'boolean', 'must be true or false');
  if (input.checkoutEnabled) {
    check('stripeAccountId', input.stripeAccountId !== null, 'is needed to enable checkout');
  }
  for (const field of ['defaultConfirmationUrl', 'defaultCancelUrl'] as const) {
    const url = input[field];
    if (url != null)
      check(
        field,
        typeof url === 'string' && url.length <= 2048,
        'must be a URL of at most 2048 characters',
      );
  }
  const allowlist = input.redirectHostAllowlist;
  if (allowlist != null) {
    check(
      'redirectHostAllowlist',
      Array.isArray(allowlist) &&
        allowlist.every((host) => typeof host === 'string' && /^[a-z0-9.-]{1,253}$/i.test(host)),
      'must be a list of host names',
    );
  }
  const minutes = input.sessionLifetimeMinutes;
  if (minutes !== undefined) integer('sessionLifetimeMinutes', minutes, 30, 1440);
}

export function checkArticle(input: ArticleInput): void {
  uuid('companyId', input.companyId);
  integer('articleId', input.articleId, 1, 2_147_483_647);
  check('articleTypeId', ARTICLE_TYPES.includes(input.articleTypeId), 'must be 1, 2, 3 or 4');
  text('name', input.name, 200);
  check('active', typeof input.active === 'boolean', 'must be true or false');
  check(
    'prices',
    Array.isArray(input.prices) && input.prices.length > 0,
    'needs at least one price',
  );
  const countries = new Set<string | null>();
  input.prices.forEach((price, index) => {
    const at = `prices[${index}]`;
    if (price.countryCode !== null) {
      check(
        `${at}.countryCode`,
        /^[A-Za-z]{2}$/.test(String(price.countryCode)),
        'must be two letters or null',
      );
    }
    const country = price.countryCode?.toUpperCase() ?? null;
    check(`${at}.countryCode`, !countries.has(country), 'has a price already');
    countries.add(country);
    currency(`${at}.currency`, price.currency);
    integer(`${at}.unitAmount`, price.unitAmount, 0, MAX_UNIT_AMOUNT);
    check(
      `${at}.vatPercent`,
      typeof price.vatPercent === 'number' &&
        price.vatPercent >= 0 &&
        price.vatPercent <= 100 &&
        Math.abs(price.vatPercent * 100 - vatBasisPoints(price.vatPercent)) < 1e-6,
      'must be 0..100 with at most two decimals',
    );
  });
}

/** 25 % → 2500: VAT is kept in integer basis points, like money in minor units. */
export function vatBasisPoints(vatPercent: number): number {
  return Math.round(vatPercent * 100);
}

export function checkApiKey(input: ApiKeyInput): void {
  if (input.companyId !== null) uuid('companyId', input.companyId);
  text('name', input.name, 100);
  if (input.key !== undefined) text('key', input.key, 200);
}

function check(field: string, ok: boolean, problem: string): void {
  if (!ok) throw PaymentsException.field('ValidationException', field, `${field} ${problem}`);
}

function uuid(field: string, value: unknown): void {
  check(field, typeof value === 'string' && isUUID(value), 'must be a uuid');
}

function text(field: string, value: unknown, max: number): void {
  check(
    field,
    typeof value === 'string' &&
      value.trim().length > 0 &&
      value.length <= max &&
      value.isWellFormed(),
    `must be 1..${max} characters`,
  );
}

function currency(field: string, value: unknown): void {
  check(
    field,
    typeof value === 'string' && /^[A-Za-z]{3}$/.test(value),
    'must be an ISO 4217 code',
  );
}

function integer(field: string, value: unknown, min: number, max: number): void {
  check(
    field,
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max,
    `must be an integer from ${min} to ${max}`,
  );
}
