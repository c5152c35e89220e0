// Attendance: taking it after a session, seeing it (a group's, or one's own), and the
// requirement a whole program asks.
import type { Feature } from '../plumbing/feature.js';
import { attendanceButtons } from './attendance-buttons.js';
import { attendanceTake } from './attendance-take.js';
import { attendanceView } from './attendance-view.js';
import { programSet } from './program-set.js';

export const attendanceFeature: Feature = {
  commands: [attendanceView, attendanceTake, programSet],
  buttons: [attendanceButtons],
};
