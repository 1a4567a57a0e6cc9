// Which target and pay period the payroll page shows; kept while the admin
// moves between its tabs and the rest of the app.

class PayrollView {
  /** `integration:3` or `file:iif`; null until the targets are known. */
  targetKey = $state<string | null>(null);
  /** A day in the period shown; null for the period containing today. */
  date = $state<string | null>(null);
}

export const payrollView = new PayrollView();
