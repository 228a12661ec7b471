"""Chinese messages of the refusals that only uploads give (a file refused as a whole, a cell
the page could not read); every other code is the catalogue's (api/web/messages.py)."""

from __future__ import annotations

from api.web.messages import message_zh

UPLOAD_MESSAGES = {
    "upload_missing": "请选择要上传的文件。",
    "upload_empty": "上传的文件是空的。",
    "upload_too_large": "文件太大：上传的文件不能超过 5 MB，解压后也不能超过限度。",
    "upload_not_xlsx": "只能上传 Excel 工作簿（.xlsx）。CSV、.xls 或改了扩展名的文件不能导入，"
    "请在 Excel 或 WPS 中“另存为 .xlsx”。",
    "upload_corrupt": "文件已损坏，无法读取。请在 Excel 或 WPS 中打开后重新保存为 .xlsx。",
    "upload_has_macros": "文件含有宏，出于安全不能导入。请另存为不含宏的 .xlsx 工作簿。",
    "upload_has_formulas": "表格中有公式，不能导入。请把公式所在的单元格改成数值"
    "（复制后“选择性粘贴—数值”）。",
    "upload_too_many_rows": "行数太多：一次最多导入 1000 行，请分成几个文件。",
    "upload_headers_missing": "第一行缺少必需的列标题，请使用下载的模板。",
    "upload_no_rows": "文件里没有填写任何一行。",
    "upload_expired": "预览已过期（超过 30 分钟或服务器已重启），请重新上传文件。",
    "text_too_long": "这一行有单元格的内容太长（超过 500 个字）。",
    "date_invalid": "日期看不懂，请写成 2024-05-02 这样的格式。",
    "time_invalid": "时间看不懂，请写成 11:30 这样的格式。",
}


def upload_message(code: str) -> str:
    return UPLOAD_MESSAGES.get(code) or message_zh(code)
