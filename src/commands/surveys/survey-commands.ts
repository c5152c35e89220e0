// `/balint survey add|list|remove`: coordinators attach survey links (the program's own survey
// tool) to a group, or to every group of a program (`survey add program PA …`), to be sent
// privately to each member before the group's first session, after its last, or after every
// one. The link is shown back only to coordinators; nothing of it is logged, and the bot never
// sees answers.
import { card, context, ephemeral, facts, heading, text, type Block, type Fact } from '../../core/cards.js';
import { SURVEY_ID, SURVEY_TIMINGS, validateSurveyUrl, type Survey } from '../../core/attendance/survey.js';
import { invalid } from '../../core/plumbing/errors.js';
import { isOneOf, PROGRAMS, type Group, type Program } from '../../core/model.js';
import { findVisibleGroup } from '../plumbing/group-lookup.js';
import { usage, type CommandContext, type CommandSpec } from '../plumbing/spec.js';
import { joinWords, type Token } from '../plumbing/tokens.js';

const NEVER_ANSWERS = 'Members get the link privately. The bot counts that it was sent and never sees answers.';

/**
 * `program PA`, unquoted: every group of the program. Anything else names a group (a group
 * called "Program Zeta" stays reachable, and `"program PA"` quoted is a group's name).
 */
function programTarget(words: Token[]): Program | undefined {
  const [keyword, code] = words;
  if (words.length !== 2 || !keyword || !code || keyword.quoted || code.quoted) return undefined;
  const program = code.value.toUpperCase();
  return keyword.value.toLowerCase() === 'program' && isOneOf(PROGRAMS, program) ? program : undefined;
}

async function forWhom(ctx: CommandContext, survey: Survey): Promise<Fact> {
  if (survey.program) return { label: 'Program', value: `every ${survey.program} group` };
  const group = survey.groupId ? await ctx.services.roster.getGroup(survey.groupId) : undefined;
  return { label: 'Group', value: group?.name ?? '(a group that no longer exists)' };
}

function surveyFacts(survey: Survey, whom: Fact): Block {
  return facts(
    { label: 'Survey', value: survey.id },
    whom,
    { label: 'When', value: survey.timing },
    { label: 'Link', value: survey.url },
    { label: 'Sent', value: `${survey.sent} direct ${survey.sent === 1 ? 'message' : 'messages'}` },
  );
}

export const surveyAdd: CommandSpec = {
  verb: 'survey add',
  args: '<group>|program <PA…> <https-link> before first|after last|after every',
  summary:
    'Send a survey link privately to each member of a group, or of every group of a program (those added later too), at its time.',
  audience: 'coordinator',
  async run(ctx, args) {
    const timing = joinWords(args.slice(-2)).toLowerCase();
    const rawUrl = args.at(-3);
    const groupWords = args.slice(0, -3);
    if (!isOneOf(SURVEY_TIMINGS, timing) || !rawUrl || groupWords.length === 0)
      throw invalid(`Usage: ${usage(surveyAdd, ctx.prefix)}`);
    const url = validateSurveyUrl(rawUrl.value);
    const program = programTarget(groupWords);
    const target: { group: Group } | { program: Program } = program
      ? { program }
      : { group: await findVisibleGroup(ctx, groupWords) };
    const { survey, armed } = await ctx.services.surveys.add(target, url, timing);
    return [
      ephemeral(
        card(
          heading('Survey link added'),
          surveyFacts(survey, await forWhom(ctx, survey)),
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
  summary:
    "The survey links attached to groups and programs (or those a group's members get), with how many were sent.",
  audience: 'coordinator',
  async run(ctx, args) {
    const { surveys } = ctx.services;
    const group = args.length > 0 ? await findVisibleGroup(ctx, args) : undefined;
    const list = group ? await surveys.records.forGroup(group) : await surveys.records.all();
    if (list.length === 0) return [ephemeral(card(text('No survey links yet.')))];
    const blocks: Block[] = [heading('Survey links')];
    for (const survey of list) blocks.push(surveyFacts(survey, await forWhom(ctx, survey)));
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
