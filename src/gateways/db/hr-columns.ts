/** HR field names (domain vocabulary) and the hr_user columns that hold them. */
export const HR_FIELD_COLUMNS = {
  firstName: 'first_name',
  lastName: 'last_name',
  displayName: 'display_name',
  jobTitle: 'job_title',
  department: 'department',
  officeLocation: 'office_location',
  employeeNumber: 'employee_number',
  hireDate: 'hire_date',
  mobilePhone: 'mobile_phone',
  businessPhone: 'business_phone',
  city: 'city',
  managerEntraId: 'manager_entra_id',
} as const;

export type HrField = keyof typeof HR_FIELD_COLUMNS;

/** `select` list reading every field as text, keyed by field name. */
export const HR_FIELDS_AS_JSON = `jsonb_build_object(${Object.entries(HR_FIELD_COLUMNS)
  .map(([field, column]) => `'${field}', u.${column}::text`)
  .join(', ')})`;
