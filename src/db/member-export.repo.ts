/**
 * A member's own exports over Prisma (src/core/ports/member-export.port.ts): every row about the member, and the
 * questions they missed. Rows come in a stable order (oldest first), so two exports of the same data are equal.
 */
import type { MemberExport, MemberExportStore, MissedQuestion } from '../core/ports/member-export.port.ts';
import type { Db } from './prisma-client.ts';
import { withRetry } from './retry.ts';

export class PrismaMemberExportStore implements MemberExportStore {
  constructor(readonly db: Db) {}

  exportMember(memberId: string): Promise<MemberExport | null> {
    return withRetry('exportMember', async () => {
      const member = await this.db.member.findFirst({ where: { id: memberId } });
      if (!member) return null;
      const where = { memberId };
      const [identities, stats, attempts, cards, lessons, cohorts, weekly, holds, codes] = await Promise.all([
        this.db.identity.findMany({
          where,
          include: { workspace: { select: { name: true } } },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
        this.db.memberStats.findFirst({ where }),
        this.db.attempt.findMany({
          where,
          include: { postedQuestion: { select: { drop: { select: { channel: { select: { name: true } } } } } } },
          orderBy: [{ answeredAt: 'asc' }, { id: 'asc' }],
        }),
        this.db.reviewCard.findMany({ where, orderBy: [{ trackId: 'asc' }, { questionId: 'asc' }] }),
        this.db.lessonProgress.findMany({ where, orderBy: [{ seenAt: 'asc' }, { lessonId: 'asc' }] }),
        this.db.cohortMember.findMany({
          where,
          include: { cohort: { select: { slug: true, name: true, workspace: { select: { name: true } } } } },
          orderBy: [{ joinedAt: 'asc' }, { cohortId: 'asc' }],
        }),
        this.db.weeklyScore.findMany({
          where,
          include: { cohort: { select: { slug: true } } },
          orderBy: [{ week: 'asc' }, { cohortId: 'asc' }],
        }),
        this.db.hold.findMany({ where, orderBy: [{ startDate: 'asc' }, { id: 'asc' }] }),
        this.db.linkCode.findMany({ where, orderBy: { createdAt: 'asc' } }),
      ]);
      return {
        member: {
          id: member.id,
          displayName: member.displayName,
          locale: member.locale,
          timeZone: member.timeZone,
          boardVisibility: member.boardVisibility,
          nudgeHour: member.nudgeHour,
          quietHours: member.quietHours,
          lastNudgeDate: member.lastNudgeDate,
          createdAt: member.createdAt,
          updatedAt: member.updatedAt,
        },
        identities: identities.map((row) => ({
          platform: row.platform,
          workspace: row.workspace.name,
          userId: row.externalId,
          createdAt: row.createdAt,
          linkedAt: row.linkedAt,
        })),
        stats: stats
          ? {
              xp: stats.xp,
              answered: stats.answered,
              correct: stats.correct,
              currentStreak: stats.currentStreak,
              bestStreak: stats.bestStreak,
              lastActiveDate: stats.lastActiveDate,
              lessonsSeen: stats.lessonsSeen,
              firstTries: stats.firstTries,
              firstTryCorrect: stats.firstTryCorrect,
              reviews: stats.reviews,
              reviewsKept: stats.reviewsKept,
              freezes: stats.freezes,
              freezesUsed: stats.freezesUsed,
            }
          : null,
        attempts: attempts.map((row) => ({
          trackId: row.trackId,
          questionId: row.questionId,
          context: row.context,
          choice: row.choice,
          correct: row.correct,
          scored: row.scored,
          xp: row.xp,
          answeredAt: row.answeredAt,
          localDate: row.localDate,
          channel: row.postedQuestion?.drop.channel.name ?? null,
        })),
        reviewCards: cards.map((row) => ({
          trackId: row.trackId,
          questionId: row.questionId,
          due: row.due,
          stability: row.stability,
          difficulty: row.difficulty,
          scheduledDays: row.scheduledDays,
          learningSteps: row.learningSteps,
          reps: row.reps,
          lapses: row.lapses,
          state: row.state,
          lastReview: row.lastReview,
        })),
        lessonProgress: lessons.map((row) => ({
          trackId: row.trackId,
          lessonId: row.lessonId,
          seenAt: row.seenAt,
          completedAt: row.completedAt,
        })),
        cohorts: cohorts.map((row) => ({
          slug: row.cohort.slug,
          name: row.cohort.name,
          workspace: row.cohort.workspace.name,
          joinedAt: row.joinedAt,
        })),
        weeklyScores: weekly.map((row) => ({
          cohort: row.cohort.slug,
          week: row.week,
          xp: row.xp,
          answered: row.answered,
          correct: row.correct,
          firstTries: row.firstTries,
          firstTryCorrect: row.firstTryCorrect,
          reviews: row.reviews,
          reviewsKept: row.reviewsKept,
          activeDays: row.activeDays,
        })),
        holds: holds.map((row) => ({ startDate: row.startDate, endDate: row.endDate, createdAt: row.createdAt })),
        linkCodes: codes.map((row) => ({ createdAt: row.createdAt, expiresAt: row.expiresAt })),
      };
    });
  }

  missedQuestions(memberId: string): Promise<MissedQuestion[]> {
    return withRetry('missedQuestions', async () => {
      const missed = await this.db.attempt.groupBy({
        by: ['trackId', 'questionId'],
        where: { memberId, correct: false },
        _count: { _all: true },
        _max: { answeredAt: true },
      });
      if (missed.length === 0) return [];
      // The latest answer to each missed question: was it remembered since?
      const latest = await this.db.attempt.findMany({
        where: { memberId, questionId: { in: [...new Set(missed.map((row) => row.questionId))] } },
        select: { trackId: true, questionId: true, correct: true, answeredAt: true, id: true },
        orderBy: [{ answeredAt: 'asc' }, { id: 'asc' }],
      });
      const last = new Map<string, boolean>();
      for (const row of latest) last.set(`${row.trackId}/${row.questionId}`, row.correct);
      return missed.map((row) => ({
        trackId: row.trackId,
        questionId: row.questionId,
        misses: row._count._all,
        lastMissedAt: row._max.answeredAt as Date,
        latestCorrect: last.get(`${row.trackId}/${row.questionId}`) ?? false,
      }));
    });
  }
}
