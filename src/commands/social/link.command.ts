/**
 * `vincular` / `link`: one member across Slack and Discord. Without a code it gives a one-time code (10 minutes) and
 * lists the member's accounts; `link CODE` on the other platform links that account to the code's member, whose
 * progress, streak, reviews and cohorts are then shared (the two members' histories merged, each question counted
 * once: src/core/member-merge.ts); `link off` (or the `desvincular` / `unlink` command) gives this account a fresh
 * member of its own, leaving everything earned with the linked member. Every reply is private.
 *
 * Guessing is slowed (src/core/link-code.ts, docs/security.md): each try of a well-formed code is recorded before the
 * look-up; after 5 wrong codes within 10 minutes the account waits, told until when, and the try is not looked up.
 */
import { z } from 'zod';
import {
  formatLinkCode,
  linkCodeFailureWindowMs,
  linkCodeMaxFailures,
  linkCodeTtlMs,
  linkLock,
  normalizeLinkCode,
} from '../../core/link-code.ts';
import { context, privately, type Reply, safeText, text, truncate } from '../../core/message.ts';
import type { IdentityRef, LinkedIdentity } from '../../core/ports/links.port.ts';
import { translator } from '../../i18n/translator.ts';
import { type CommandContext, defineCommand, fold } from '../../runtime/command.ts';

const offWords = new Set(['off', 'desligar', 'desfazer', 'desvincular', 'unlink', 'sair', 'remover', 'remove']);

export default defineCommand({
  id: 'link',
  names: { 'pt-BR': 'vincular', en: 'link' },
  aliases: ['ligar', 'conectar', 'connect', 'vincula'],
  summary: {
    'pt-BR': 'Liga suas contas do Slack e do Discord: um código de uso único, progresso compartilhado.',
    en: 'Links your Slack and Discord accounts: a one-time code, shared progress.',
  },
  usage: { 'pt-BR': '[código | desligar]', en: '[code | off]' },
  examples: {
    'pt-BR': ['vincular', 'vincular K7QM-X2PD', 'vincular desligar'],
    en: ['link', 'link K7QM-X2PD', 'link off'],
  },
  parse: (words) => {
    if (words.length === 0) return { action: 'show' };
    if (words.length === 1 && offWords.has(fold(words[0] ?? ''))) return { action: 'off' };
    return { action: 'use', code: words.join(' ') };
  },
  args: z.discriminatedUnion('action', [
    z.object({ action: z.literal('show') }),
    z.object({ action: z.literal('off') }),
    z.object({ action: z.literal('use'), code: z.string().trim().min(1).max(40) }),
  ]),
  async handler(ctx, args) {
    switch (args.action) {
      case 'show':
        return issue(ctx);
      case 'off':
        return unlinkAccount(ctx);
      case 'use':
        return use(ctx, args.code);
    }
  },
});

/** The acting account. */
function identityOf(ctx: CommandContext): IdentityRef {
  return { workspaceId: ctx.workspace.id, externalId: ctx.request.user.externalId };
}

async function issue(ctx: CommandContext): Promise<Reply[]> {
  const { links } = ctx.services.stores;
  const identity = identityOf(ctx);
  const issued = await links.issueCode(identity, ctx.now, linkCodeTtlMs);
  const accounts = await links.identities(identity);
  const code = formatLinkCode(issued.code);
  const until = new Intl.DateTimeFormat(ctx.locale, { timeStyle: 'short', timeZone: ctx.timeZone }).format(
    issued.expiresAt,
  );
  const blocks = [
    text(ctx.t('members.link.code', { code, until })),
    text(ctx.t('members.link.how', { code })),
    context(ctx.t('members.link.accounts', { list: accountList(ctx, accounts) })),
  ];
  if (accounts.length > 1) blocks.push(context(ctx.t('members.link.unlink_hint')));
  return [privately({ headline: ctx.t('members.link.headline'), blocks })];
}

async function use(ctx: CommandContext, typed: string): Promise<Reply[]> {
  const code = normalizeLinkCode(typed);
  // Not a code at all (wrong length, a letter outside the alphabet): nothing is looked up, so nothing to slow.
  if (code === null) return say(ctx.t('members.link.invalid'));
  const { links } = ctx.services.stores;
  const attempt = await links.recordLinkTry(identityOf(ctx), ctx.now, linkCodeFailureWindowMs);
  const lock = linkLock(attempt.earlier, ctx.now);
  if (lock.locked) {
    await links.forgetLinkTry(attempt.id);
    ctx.services.telemetry?.rateLimited?.(ctx.request.platform, 'link_code');
    const until = new Intl.DateTimeFormat(ctx.locale, { timeStyle: 'short', timeZone: ctx.timeZone }).format(
      lock.until,
    );
    const minutes = Math.max(1, Math.ceil((lock.until.getTime() - ctx.now.getTime()) / 60_000));
    return say(ctx.t('security.link.locked', { max: linkCodeMaxFailures, until, minutes }));
  }
  const result = await links.useCode(code, identityOf(ctx), ctx.now);
  // Only a wrong code (unknown or expired) keeps its try on the count.
  if (result.status !== 'invalid' && result.status !== 'expired') await links.forgetLinkTry(attempt.id);
  else ctx.services.telemetry?.linkCodeWrong?.(ctx.request.platform);
  switch (result.status) {
    case 'invalid':
    case 'expired': {
      const line = ctx.t(`members.link.${result.status}`);
      return say(lock.left <= 2 ? `${line} ${ctx.t('security.link.left', { left: lock.left })}` : line);
    }
    case 'already_linked':
    case 'same_workspace':
      return say(ctx.t(`members.link.${result.status}`));
    case 'linked': {
      // The code's owner is told once (a code is used once), in their language: a code that reached the wrong
      // hands shows up at once, not at the next `vincular`.
      const owner = translator(result.codeOwner.locale).t;
      await ctx.direct(result.codeOwner.platform, result.codeOwner.externalId, {
        blocks: [
          text(
            owner('security.link.code_used', {
              platform: owner('members.platform', { platform: ctx.request.platform }),
              workspace: safeText(truncate(ctx.workspace.name, 60)),
            }),
          ),
        ],
      });
      const blocks = [
        text(ctx.t('members.link.linked', { list: accountList(ctx, result.identities) })),
        text(ctx.t('members.link.shared', { xp: result.totals.xp, answered: result.totals.answered })),
      ];
      if (result.duplicates > 0) blocks.push(context(ctx.t('members.link.duplicates', { count: result.duplicates })));
      return [privately({ headline: ctx.t('members.link.headline'), blocks })];
    }
  }
}

/** Gives the acting account a fresh member; everything earned stays with the accounts it leaves. */
export async function unlinkAccount(ctx: CommandContext): Promise<Reply[]> {
  const result = await ctx.services.stores.links.unlink(identityOf(ctx));
  if (result.status === 'not_linked') return say(ctx.t('members.link.not_linked'));
  return say(
    ctx.t('members.link.unlinked', {
      platform: ctx.t('members.platform', { platform: ctx.request.platform }),
      list: accountList(ctx, result.remaining),
    }),
  );
}

/** `Slack (Acme, this one), Discord (Ops server)`: platforms and workspace names, never ids. */
function accountList(ctx: CommandContext, accounts: readonly LinkedIdentity[]): string {
  return accounts
    .map((account) =>
      ctx.t(account.current ? 'members.link.account_current' : 'members.link.account', {
        platform: ctx.t('members.platform', { platform: account.platform }),
        workspace: safeText(truncate(account.workspaceName, 60)),
      }),
    )
    .join(', ');
}

function say(message: string): Reply[] {
  return [privately({ blocks: [text(message)] })];
}
