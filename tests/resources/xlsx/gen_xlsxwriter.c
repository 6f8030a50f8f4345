/* gen_xlsxwriter — writes xlsxwriter_competency.xlsx, the libxlsxwriter fixture
 * of tests/unit/test_xlsx.c: a competency self-assessment (docs/formats.md §3b) with
 * shared strings, a rich string, numbers, booleans, formulas with cached
 * results, a merged banner, a hidden column and a hidden sheet.
 * Built and run by make_xlsxwriter.sh (not by the Makefile): the output is
 * committed. usage: gen_xlsxwriter OUT.xlsx
 */
#include <string.h>
#include <xlsxwriter.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    lxw_workbook_options opt = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
    lxw_workbook *wb = workbook_new_opt(argv[1], &opt);
    if (!wb)
        return 1;
    lxw_doc_properties props;
    memset(&props, 0, sizeof props);
    props.title = "Gadgets self-assessment fixture";
    props.created = 1704067200;   /* fixed, so regeneration is reproducible */
    workbook_set_properties(wb, &props);

    lxw_worksheet *intro = workbook_add_worksheet(wb, "Introduction");
    worksheet_write_string(intro, 0, 0, "AWS Gadgets Competency Service Offering Validation Checklist", NULL);
    worksheet_write_string(intro, 9, 0, "Version", NULL);
    worksheet_write_string(intro, 9, 1, "2026.1", NULL);

    lxw_worksheet *p = workbook_add_worksheet(wb, "Gadgets Practice Reqs");
    worksheet_merge_range(p, 0, 0, 0, 3, "Gadgets Practice Requirements", NULL);
    const char *hdr[] = { "ID", "Requirement Description", "Met?", "Partner Response" };
    for (int c = 0; c < 4; c++)
        worksheet_write_string(p, 1, (lxw_col_t)c, hdr[c], NULL);
    worksheet_write_string(p, 3, 0, "Gadgets Practice Overview", NULL);
    worksheet_write_string(p, 4, 0, "GAD-001", NULL);
    worksheet_write_string(p, 4, 1, "Gadget expertise.\n \nDescribe it.", NULL);
    worksheet_write_string(p, 4, 2, "Yes", NULL);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_rich_string_tuple f1 = { .format = bold, .string = "Bold " };
    lxw_rich_string_tuple f2 = { .format = NULL, .string = "and plain" };
    lxw_rich_string_tuple *rich[] = { &f1, &f2, NULL };
    worksheet_write_rich_string(p, 4, 3, rich, NULL);
    worksheet_write_string(p, 5, 0, "GAD-002", NULL);
    worksheet_write_string(p, 5, 1, "Gadget safety", NULL);
    worksheet_write_string(p, 5, 2, "No", NULL);
    worksheet_write_formula_str(p, 4, 4, "=IF(C5=\"Yes\",\"Pass\",\"Fail\")", NULL, "Pass");
    worksheet_write_formula_str(p, 5, 4, "=IF(C6=\"Yes\",\"Pass\",\"Fail\")", NULL, "Fail");
    worksheet_write_number(p, 6, 5, 3.25, NULL);
    worksheet_write_boolean(p, 6, 6, 1, NULL);
    worksheet_write_formula_num(p, 6, 7, "=F7*2", NULL, 6.5);
    lxw_row_col_options hide = { .hidden = 1, .level = 0, .collapsed = 0 };
    worksheet_set_column_opt(p, 4, 4, 10, NULL, &hide);

    lxw_worksheet *h = workbook_add_worksheet(wb, "Lists");
    worksheet_write_string(h, 0, 0, "Yes", NULL);
    worksheet_hide(h);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
