/**
 * Every expected failure of a use case is a DomainError with a code. The bot maps
 * codes to replies in one place (src/i18n); HTTP maps them to status codes.
 * Anything else that is thrown is an unexpected fault (database down, bug).
 */
export type ErrorCode =
  | 'UNKNOWN_PRODUCT'
  | 'UNKNOWN_CATEGORY'
  | 'UNKNOWN_VOUCHER'
  | 'VOUCHER_EXPIRED'
  | 'VOUCHER_USED_UP'
  | 'VOUCHER_ALREADY_USED'
  | 'VOUCHER_NOT_APPLICABLE'
  | 'VOUCHER_EXISTS'
  | 'NO_SUCH_PAGE'
  | 'PRODUCT_EXISTS'
  | 'SOLD_OUT'
  | 'INVALID_QTY'
  | 'INVALID_AMOUNT'
  | 'INVALID_INPUT'
  | 'INVALID_NUMBER'
  | 'TRANSACTION_IN_PROGRESS'
  | 'ACCOUNT_HELD'
  | 'NO_PENDING_ORDER'
  | 'UNKNOWN_ORDER'
  | 'NOT_DELIVERED'
  | 'INSUFFICIENT_BALANCE'
  | 'NOT_ADMIN'
  | 'PAYMENT_UNAVAILABLE'
  | 'ILLEGAL_TRANSITION'
  | 'MESSAGE_TOO_LONG'
  | 'BAD_CHARACTERS'
  | 'STALE_MESSAGE'
  | 'TOPUP_UNAVAILABLE'
  | 'TOPUP_TARGET'
  | 'TOPUP_REPEAT'
  | 'TOPUP_METER'
  | 'TOPUP_BELOW_COST'
  | 'UNKNOWN_SKU'
  | 'PRODUCT_HAS_STOCK'
  | 'TOPUP_OPEN'
  | 'NOT_A_BILL'
  | 'BILL_PRODUCT'
  | 'BILL_NONE'
  | 'BILL_UNKNOWN'
  | 'NOTHING_TO_CONFIRM'
  | 'TOPUP_GAME_ID'
  | 'PRICE_CHANGED'
  | 'IN_STOCK'
  | 'TOO_MANY_WISHES'
  | 'NO_WARRANTY'
  | 'WARRANTY_OVER'
  | 'CLAIM_OPEN'
  | 'NO_OPEN_CLAIM'
  | 'REASON_TOO_LONG'
  | 'DETAIL_REQUIRED'
  | 'BAD_DETAIL'
  | 'NOT_BY_HAND'
  | 'REFERRAL_OFF'
  | 'REF_ALREADY'
  | 'REF_UNKNOWN'
  | 'REF_SELF'
  | 'REF_CIRCLE'
  | 'REF_TOO_LATE';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Readonly<Record<string, string | number>> = {},
  ) {
    super(`${code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}`);
    this.name = 'DomainError';
  }
}

export const isDomainError = (err: unknown): err is DomainError => err instanceof DomainError;
