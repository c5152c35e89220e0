// Groups, their members and roles, and the program's coordinators.
import type { Feature } from '../plumbing/feature.js';
import { coordinatorAdd } from './coordinator-add.js';
import { groupCreate } from './group-create.js';
import { groupAddFormSpec } from './group-add-form.js';
import { groupAdd, groupRemove } from './group-members.js';
import { groupSet } from './group-set.js';
import { groupShow, groupsList } from './group-show.js';

export const rosterFeature: Feature = {
  commands: [groupsList, groupShow, groupCreate, groupAdd, groupRemove, groupSet, coordinatorAdd],
  forms: [groupAddFormSpec],
};
