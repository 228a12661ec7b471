"""Chinese messages of the refusals of spreadsheet uploads (导入表格, api/web/uploads/refusals.py):
a file refused as a whole, or a cell the page could not read."""

from __future__ import annotations

from api.web.messages.table import table

MESSAGES = table(
    """
upload_refused=这个文件不能导入。请使用下载的模板，在Excel或WPS中填写后保存为.xlsx再上传。
upload_missing=请选择要上传的文件。
upload_empty=上传的文件是空的。请选择填写好的表格文件。
upload_too_large=文件太大：上传的文件不能超过5MB，解压后的内容也不能过大。请分成几个文件上传。
upload_not_xlsx=只能上传Excel工作簿（.xlsx）。CSV、.xls或改了扩展名的文件不能导入，请在Excel或WPS中“另存为.xlsx”。
upload_corrupt=文件已损坏，无法读取。请在Excel或WPS中打开后重新保存为.xlsx再上传。
upload_has_macros=文件含有宏，出于安全不能导入。请另存为不含宏的.xlsx工作簿。
upload_has_formulas=表格中有公式，不能导入。请把公式所在的单元格改成数值（复制后“选择性粘贴—数值”）再上传。
upload_too_many_rows=行数太多：一次最多导入1000行。请分成几个文件上传。
upload_headers_missing=第一行缺少必需的列标题。请使用下载的模板，不要改动第一行。
upload_no_rows=文件里没有填写任何一行。请填写后再上传。
upload_expired=预览已过期（超过30分钟或服务器已重启）。请重新上传文件。
upload_time_invalid=时间看不懂，请写成11:30这样的格式（北京时间）。
text_too_long=这一行有单元格的内容太长（超过500个字）。请删减后重新上传。
village_not_found=找不到这个村。请核对村代码。
"""
)
