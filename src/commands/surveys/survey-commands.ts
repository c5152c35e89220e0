// `/balint survey add|list|remove`: coordinators attach survey links (the program's own survey
// tool) to a group, to be sent privately to each member before the first session, after the
// last, or after every session. The link is shown back only to coordinators; nothing of it is
// logged, and the bot never sees answers.
import { card, context, ephemeral, facts, heading, text, type Block } from '../../core/cards.js';
import { SURVEY_ID, SURVEY_TIMINGS, validateSurveyUrl, type Survey } from '../../core/attendance/survey.js';
import { invalid } from '../../core/plumbing/errors.js';
import { isOneOf } from '../../core/model.js';
import { findVisibleGroup } from '../plumbing/group-lookup.js';
import { usage, type CommandSpec } from '../plumbing/spec.js';
import { joinWords } from '../plumbing/tokens.js';

const NEVER_ANSWERS = 'Members get the link privately. The bot counts that it was sent and never sees answers.';

function surveyFacts(survey: Survey, groupName: string): Block {
  return facts(
    { label: 'Survey', value: survey.id },
    { label: 'Group', value: groupName },
    { label: 'When', value: survey.timing },
    { label: 'Link', value: survey.url },
    { label: 'Sent', value: `${survey.sent} direct ${survey.sent === 1 ? 'message' : 'messages'}` },
  );
}

export const surveyAdd: CommandSpec = {
  verb: 'survey add',
  args: '<group> <https-link> before first|after last|after every',
  summary: 'Send a survey link privately to each member of a group at its time.',
  audience: 'coordinator',
  async run(ctx, args) {
    const timing = joinWords(args.slice(-2)).toLowerCase();
    const rawUrl = args.at(-3);
    const groupWords = args.slice(0, -3);
    if (!isOneOf(SURVEY_TIMINGS, timing) || !rawUrl || groupWords.length === 0)
      throw invalid(`Usage: ${usage(surveyAdd, ctx.prefix)}`);
    const url = validateSurveyUrl(rawUrl.value);
    const group = await findVisibleGroup(ctx, groupWords);
    const { survey, armed } = await ctx.services.surveys.add(group, url, timing);
    return [
      ephemeral(
        card(
          heading('Survey link added'),
          surveyFacts(survey, group.name),
          text(
            armed > 0
              ? `Planned for ${armed} ${armed === 1 ? 'session' : 'sessions'} so far; new sessions are picked up as they are scheduled.`
              : 'No session it applies to is scheduled yet; it is sent once one is.',
          ),
          context(NEVER_ANSWERS),
        ),
      ),
    ];
  },
};

export const surveyList: CommandSpec = {
  verb: 'survey list',
  args: '[group]',
  summary: 'The survey links attached to groups, with how many were sent.',
  audience: 'coordinator',
  async run(ctx, args) {
    const { surveys, roster } = ctx.services;
    const group = args.length > 0 ? await findVisibleGroup(ctx, args) : undefined;
    const list = group ? await surveys.records.forGroup(group.id) : await surveys.records.all();
    if (list.length === 0) return [ephemeral(card(text('No survey links yet.')))];
    const blocks: Block[] = [heading('Survey links')];
    for (const survey of list) {
      const name = (await roster.getGroup(survey.groupId))?.name ?? '(a group that no longer exists)';
      blocks.push(surveyFacts(survey, name));
    }
    blocks.push(context(`${NEVER_ANSWERS} \`${ctx.prefix}survey remove <survey>\` stops one.`));
    return [ephemeral(card(...blocks))];
  },
};

export const surveyRemove: CommandSpec = {
  verb: 'survey remove',
  args: '<survey>',
  summary: 'Stop sending a survey link (its id is in `survey list`).',
  audience: 'coordinator',
  async run(ctx, args) {
    const id = args.length === 1 ? args[0]?.value.toLowerCase() : undefined;
    if (!id || !SURVEY_ID.test(id))
      throw invalid(
        `Name the survey by its id, as \`${ctx.prefix}survey list\` shows it: ${usage(surveyRemove, ctx.prefix)}`,
      );
    const survey = await ctx.services.surveys.remove(id);
    return [ephemeral(card(text(`Survey ${survey.id} removed: its link will not be sent again.`)))];
  },
};
