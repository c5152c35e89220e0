// Attendance: taking it after a session, and seeing it (a group's, or one's own).
import type { Feature } from '../plumbing/feature.js';
import { attendanceButtons } from './attendance-buttons.js';
import { attendanceTake } from './attendance-take.js';
import { attendanceView } from './attendance-view.js';

export const attendanceFeature: Feature = {
  commands: [attendanceView, attendanceTake],
  buttons: [attendanceButtons],
};
