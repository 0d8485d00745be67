export const ListPlanSql = '';
