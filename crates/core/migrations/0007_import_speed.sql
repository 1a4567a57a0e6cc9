-- Indexes no query reads. Each was written by every time entry created, and
-- cost a large import about a twentieth of its time:
-- * employee and date: the payroll reads a period by date
--   (time_entries_date), and the overlap check reads an employee's clocked
--   entries by start (time_entries_employee_start);
-- * job, and task: nothing lists or sums time by job or task yet, and local
--   records are never deleted, so their RESTRICT foreign keys never look.
-- A feature that reads time by employee, job or task adds the index it needs.
DROP INDEX time_entries_employee_date;
DROP INDEX time_entries_job;
DROP INDEX time_entries_task;
