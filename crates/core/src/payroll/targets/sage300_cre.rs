//! A Sage 300 CRE integration as a payroll target.
