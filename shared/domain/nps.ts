/**
 * Net Promoter Score surveys: the category of an answer, and the referral code a promoter is
 * given. Pure.
 */

export type NpsCategory = 'promoter' | 'passive' | 'detractor';

/** 9-10 promoter, 7-8 passive, 0-6 detractor (Reichheld's bands). */
export const npsCategory = (score: number): NpsCategory => (score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor');

/** A digit reply to an NPS text: the whole message is a score from 0 to 10 (spaces and a full stop allowed). */
export function npsReply(body: string): number | undefined {
  const m = /^\s*(10|[0-9])\s*[.!]?\s*$/.exec(body);
  return m ? Number(m[1]) : undefined;
}

/**
 * A contact's referral code: the ULID of its id, upper case (26 characters). It names the contact
 * without a lookup table; a code is honoured only for a contact that was given it (its
 * `referralCode` attribute), so knowing a contact id is not enough to be credited.
 */
export function referralCodeOf(contactId: string): string | undefined {
  const m = /^ct_([0-9a-z]{26})$/.exec(contactId);
  return m ? (m[1] as string).toUpperCase() : undefined;
}

export function contactOfReferralCode(code: string): string | undefined {
  const m = /^\s*([0-9A-Za-z]{26})\s*$/.exec(code);
  return m ? `ct_${(m[1] as string).toLowerCase()}` : undefined;
}
