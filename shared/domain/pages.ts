/**
 * The pages a message's recipient sees: the unsubscribe confirmation, its result, the preference
 * page, and the page for a link that is not (or no longer) valid. Plain server-rendered HTML that
 * works without JavaScript, in English or the contact's language where a translation exists.
 * Pure: strings in, a string out; every value is HTML-escaped.
 */
import type { Channel } from './contact.ts';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const en = {
  title: 'Your subscription',
  confirmHeading: 'Unsubscribe?',
  confirmBody: (channel: string) => `You will no longer receive ${channel} messages from us.`,
  confirmButton: 'Unsubscribe',
  doneHeading: 'You are unsubscribed',
  doneBody: (channel: string) =>
    `You will no longer receive ${channel} messages from us. It may take a moment for messages already on their way.`,
  preferencesLink: 'Manage your preferences',
  preferencesHeading: 'Your preferences',
  email: 'email',
  sms: 'text (SMS)',
  receive: (channel: string) => `Receive ${channel} messages`,
  preferred: 'Preferred channel',
  save: 'Save',
  saved: 'Your preferences are saved.',
  topics: 'Topics',
  npsHeading: 'Thank you for your answer',
  npsBody: (score: number) => `You gave us ${score} out of 10.`,
  npsCommentLabel: 'Anything you would like to tell us? (optional)',
  npsSend: 'Send',
  npsConfirmHeading: 'How likely are you to recommend us?',
  npsConfirmButton: (score: number) => `Answer ${score}`,
  npsCommentSaved: 'Thank you: your comment reached us.',
  notFoundHeading: 'This link is not valid',
  notFoundBody: 'It may be incomplete or out of date. Nothing was changed.',
  badRequestHeading: 'That did not work',
  badRequestBody: 'The request was not understood. Nothing was changed.',
};
type Strings = typeof en;

const translations: Record<string, Strings> = {
  en,
  de: {
    title: 'Ihr Abonnement',
    confirmHeading: 'Abmelden?',
    confirmBody: (channel) => `Sie erhalten dann keine ${channel}-Nachrichten mehr von uns.`,
    confirmButton: 'Abmelden',
    doneHeading: 'Sie sind abgemeldet',
    doneBody: (channel) => `Sie erhalten keine ${channel}-Nachrichten mehr von uns. Bereits versandte Nachrichten können noch ankommen.`,
    preferencesLink: 'Einstellungen verwalten',
    preferencesHeading: 'Ihre Einstellungen',
    email: 'E-Mail',
    sms: 'SMS',
    receive: (channel) => `${channel}-Nachrichten erhalten`,
    preferred: 'Bevorzugter Kanal',
    save: 'Speichern',
    saved: 'Ihre Einstellungen sind gespeichert.',
    topics: 'Themen',
    npsHeading: 'Danke für Ihre Antwort',
    npsBody: (score) => `Sie haben uns ${score} von 10 gegeben.`,
    npsCommentLabel: 'Möchten Sie uns noch etwas sagen? (freiwillig)',
    npsSend: 'Senden',
    npsConfirmHeading: 'Wie wahrscheinlich empfehlen Sie uns weiter?',
    npsConfirmButton: (score) => `${score} antworten`,
    npsCommentSaved: 'Danke: Ihr Kommentar ist bei uns angekommen.',
    notFoundHeading: 'Dieser Link ist ungültig',
    notFoundBody: 'Er ist vielleicht unvollständig oder veraltet. Es wurde nichts geändert.',
    badRequestHeading: 'Das hat nicht geklappt',
    badRequestBody: 'Die Anfrage wurde nicht verstanden. Es wurde nichts geändert.',
  },
  fr: {
    title: 'Votre abonnement',
    confirmHeading: 'Se désabonner ?',
    confirmBody: (channel) => `Vous ne recevrez plus de messages par ${channel} de notre part.`,
    confirmButton: 'Se désabonner',
    doneHeading: 'Vous êtes désabonné',
    doneBody: (channel) =>
      `Vous ne recevrez plus de messages par ${channel} de notre part. Les messages déjà envoyés peuvent encore arriver.`,
    preferencesLink: 'Gérer vos préférences',
    preferencesHeading: 'Vos préférences',
    email: 'e-mail',
    sms: 'SMS',
    receive: (channel) => `Recevoir des messages par ${channel}`,
    preferred: 'Canal préféré',
    save: 'Enregistrer',
    saved: 'Vos préférences sont enregistrées.',
    topics: 'Sujets',
    npsHeading: 'Merci pour votre réponse',
    npsBody: (score) => `Vous nous avez donné ${score} sur 10.`,
    npsCommentLabel: 'Souhaitez-vous nous dire quelque chose ? (facultatif)',
    npsSend: 'Envoyer',
    npsConfirmHeading: 'Quelle est la probabilité que vous nous recommandiez ?',
    npsConfirmButton: (score) => `Répondre ${score}`,
    npsCommentSaved: 'Merci : votre commentaire nous est parvenu.',
    notFoundHeading: "Ce lien n'est pas valide",
    notFoundBody: "Il est peut-être incomplet ou périmé. Rien n'a été modifié.",
    badRequestHeading: "Cela n'a pas fonctionné",
    badRequestBody: "La demande n'a pas été comprise. Rien n'a été modifié.",
  },
  es: {
    title: 'Tu suscripción',
    confirmHeading: '¿Darte de baja?',
    confirmBody: (channel) => `Dejarás de recibir mensajes por ${channel} de nuestra parte.`,
    confirmButton: 'Darme de baja',
    doneHeading: 'Te has dado de baja',
    doneBody: (channel) => `Ya no recibirás mensajes por ${channel} de nuestra parte. Los mensajes ya enviados aún pueden llegar.`,
    preferencesLink: 'Gestionar tus preferencias',
    preferencesHeading: 'Tus preferencias',
    email: 'correo electrónico',
    sms: 'SMS',
    receive: (channel) => `Recibir mensajes por ${channel}`,
    preferred: 'Canal preferido',
    save: 'Guardar',
    saved: 'Tus preferencias se han guardado.',
    topics: 'Temas',
    npsHeading: 'Gracias por tu respuesta',
    npsBody: (score) => `Nos has dado un ${score} de 10.`,
    npsCommentLabel: '¿Quieres contarnos algo más? (opcional)',
    npsSend: 'Enviar',
    npsConfirmHeading: '¿Con qué probabilidad nos recomendarías?',
    npsConfirmButton: (score) => `Responder ${score}`,
    npsCommentSaved: 'Gracias: hemos recibido tu comentario.',
    notFoundHeading: 'Este enlace no es válido',
    notFoundBody: 'Puede que esté incompleto o caducado. No se ha cambiado nada.',
    badRequestHeading: 'No ha funcionado',
    badRequestBody: 'No se entendió la solicitud. No se ha cambiado nada.',
  },
};

/** The languages the pages are translated into. */
export const PAGE_LANGUAGES = Object.keys(translations);

/** The page language for a contact's locale: its language when translated, else English. */
export function pageLanguage(locale: string | undefined): string {
  const language = (locale ?? 'en').toLowerCase().split('-')[0] ?? 'en';
  return language in translations ? language : 'en';
}

function layout(language: string, body: string): string {
  const t = translations[language] ?? en;
  return `<!doctype html><html lang="${escapeHtml(language)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(t.title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.5rem 1.25rem}fieldset{border:0;padding:0;margin:1rem 0}</style></head><body>${body}</body></html>`;
}

const channelName = (t: Strings, channel: Channel) => (channel === 'email' ? t.email : t.sms);

/** GET of an unsubscribe link: asks first (link scanners fetch links; only the POST unsubscribes). */
export function confirmUnsubscribePage(input: { language: string; channel: Channel; action: string }): string {
  const t = translations[input.language] ?? en;
  return layout(
    input.language,
    `<h1>${escapeHtml(t.confirmHeading)}</h1><p>${escapeHtml(t.confirmBody(channelName(t, input.channel)))}</p><form method="post" action="${escapeHtml(input.action)}"><input type="hidden" name="confirm" value="yes"><button type="submit">${escapeHtml(t.confirmButton)}</button></form>`,
  );
}

export function unsubscribedPage(input: { language: string; channel: Channel; preferences?: string }): string {
  const t = translations[input.language] ?? en;
  const link = input.preferences ? `<p><a href="${escapeHtml(input.preferences)}">${escapeHtml(t.preferencesLink)}</a></p>` : '';
  return layout(
    input.language,
    `<h1>${escapeHtml(t.doneHeading)}</h1><p>${escapeHtml(t.doneBody(channelName(t, input.channel)))}</p>${link}`,
  );
}

export function preferencesPage(input: {
  language: string;
  action: string;
  channels: { channel: Channel; subscribed: boolean }[];
  preferred?: Channel | undefined;
  /** The workspace's topics, labelled in the page's language; each box is named `topic.<name>`. */
  topics?: { name: string; label: string; description?: string; subscribed: boolean }[];
  saved?: boolean;
}): string {
  const t = translations[input.language] ?? en;
  const boxes = input.channels
    .map(
      ({ channel, subscribed }) =>
        `<p><label><input type="checkbox" name="${channel}" value="subscribed"${subscribed ? ' checked' : ''}> ${escapeHtml(t.receive(channelName(t, channel)))}</label></p>`,
    )
    .join('');
  const radios =
    input.channels.length > 1
      ? `<fieldset><legend>${escapeHtml(t.preferred)}</legend>${input.channels
          .map(
            ({ channel }) =>
              `<label><input type="radio" name="preferredChannel" value="${channel}"${input.preferred === channel ? ' checked' : ''}> ${escapeHtml(channelName(t, channel))}</label> `,
          )
          .join('')}</fieldset>`
      : '';
  // The topics this page shows: a save changes those only (a topic added meanwhile was never seen).
  const shown = input.topics?.length
    ? `<input type="hidden" name="topics" value="${escapeHtml(input.topics.map((t) => t.name).join(','))}">`
    : '';
  const topics =
    input.topics && input.topics.length > 0
      ? `<fieldset><legend><strong>${escapeHtml(t.topics)}</strong></legend>${input.topics
          .map(
            (topic) =>
              `<p><label><input type="checkbox" name="topic.${escapeHtml(topic.name)}" value="subscribed"${topic.subscribed ? ' checked' : ''}> ${escapeHtml(topic.label)}</label>${topic.description ? `<br><small>${escapeHtml(topic.description)}</small>` : ''}</p>`,
          )
          .join('')}</fieldset>`
      : '';
  const saved = input.saved ? `<p role="status"><strong>${escapeHtml(t.saved)}</strong></p>` : '';
  return layout(
    input.language,
    `<h1>${escapeHtml(t.preferencesHeading)}</h1>${saved}<form method="post" action="${escapeHtml(input.action)}"><input type="hidden" name="form" value="preferences">${shown}${boxes}${radios}${topics}<button type="submit">${escapeHtml(t.save)}</button></form>`,
  );
}

/** After a score link: thanks, and a form for an optional comment (POSTed to the same link). */
export function npsThanksPage(input: { language: string; score: number; action: string; commentSaved?: boolean }): string {
  const t = translations[input.language] ?? en;
  const form = input.commentSaved
    ? `<p role="status"><strong>${escapeHtml(t.npsCommentSaved)}</strong></p>`
    : `<form method="post" action="${escapeHtml(input.action)}"><p><label for="comment">${escapeHtml(t.npsCommentLabel)}</label></p><p><textarea id="comment" name="comment" rows="5" cols="40" maxlength="1000"></textarea></p><button type="submit">${escapeHtml(t.npsSend)}</button></form>`;
  return layout(input.language, `<h1>${escapeHtml(t.npsHeading)}</h1><p>${escapeHtml(t.npsBody(input.score))}</p>${form}`);
}

/** A score link fetched by a scanner or prefetcher: asks for a click before anything is recorded. */
export function npsConfirmPage(input: { language: string; score: number; action: string }): string {
  const t = translations[input.language] ?? en;
  return layout(
    input.language,
    `<h1>${escapeHtml(t.npsConfirmHeading)}</h1><form method="post" action="${escapeHtml(input.action)}"><input type="hidden" name="score" value="${input.score}"><button type="submit">${escapeHtml(t.npsConfirmButton(input.score))}</button></form>`,
  );
}

export function notFoundPage(language = 'en'): string {
  const t = translations[language] ?? en;
  return layout(language, `<h1>${escapeHtml(t.notFoundHeading)}</h1><p>${escapeHtml(t.notFoundBody)}</p>`);
}

export function badRequestPage(language = 'en'): string {
  const t = translations[language] ?? en;
  return layout(language, `<h1>${escapeHtml(t.badRequestHeading)}</h1><p>${escapeHtml(t.badRequestBody)}</p>`);
}

/** The fields of an application/x-www-form-urlencoded body (repeated names: the last wins). */
export function formFields(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(body)) out[name] = value;
  return out;
}
