// Survey links on a group's schedule (sent, never answered through the bot).
import type { Feature } from '../plumbing/feature.js';
import { surveyAdd, surveyList, surveyRemove } from './survey-commands.js';

export const surveysFeature: Feature = { commands: [surveyAdd, surveyList, surveyRemove] };
