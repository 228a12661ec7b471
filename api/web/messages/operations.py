"""Chinese messages of what an operator meets: the audit commands (domain/audit/errors.py),
backups and restores (domain/operations/errors.py) and the command line (scripts/common.py).
Command names stay as typed (an operator types them); the rest is Chinese."""

from __future__ import annotations

from api.web.messages.table import table

MESSAGES = table(
    """
audit_error=审计操作未完成。请检查后重试。
key_file_exists=密钥文件已经存在，密钥从不覆盖。请先把旧的密钥移走。
key_file_unreadable=密钥文件存在但无法读取（权限不足、是目录或读写出错）。请检查文件。
key_file_not_found=指定的路径下没有密钥文件。请先生成密钥，或核对路径。
key_file_invalid=该文件不是所需类型的Ed25519密钥。请核对密钥文件。
key_file_not_given=这个命令需要明确指定密钥文件或密钥目录。请指定路径。
key_directory_not_writable=密钥目录无法创建或写入。请检查目录权限。
event_signing_key_not_configured=尚未配置事件签名密钥，系统不能记录任何数据。请联系管理员配置。
personal_data_secret_not_configured=尚未配置个人信息保护密钥，系统不能处理真实数据。请联系管理员配置。
event_public_key_not_given=核验事件签名需要明确指定可信的公钥。请指定公钥。
checkpoint_public_key_not_given=核验检查点需要明确指定可信的公钥。请指定公钥。
database_not_found=找不到配置的数据库。审计命令只读取已有的数据库，不会新建。请核对数据库地址。
database_is_a_replay=该文件是回放生成的副本，只有汇总数据，没有事件日志，不能作为登记库打开。
output_file_exists=输出文件已经存在，不会覆盖。请换一个文件名。
output_not_writable=输出文件或目录无法创建或写入。请检查路径和权限。
log_does_not_verify=事件日志核验未通过，不能签署检查点。请先运行核验命令查明原因。
unsigned_events_not_vouched_for=日志开头有启用签名之前记录的事件，尚无可信检查点为其担保。请先签署担保这些事件的检查点。
proof_does_not_hold=根据存储的封存数据生成的证明核验不通过，数据可能已损坏。请运行核验命令。
checkpoint_file_invalid=检查点（或证明）文件不是本系统生成的格式。请核对文件。
checkpoint_file_not_found=指定的路径下没有检查点文件。请核对路径。
log_empty=还没有任何封存的事件，没有可签署或证明的内容。
no_checkpoint_yet=还没有签署过检查点。请先签署检查点。
notification_not_sealed=封存记录中没有这个编号的事件。请核对事件编号。
notification_not_covered_by_checkpoint=该事件记录于最近一次检查点之后。请先签署新的检查点。
seal_disagrees_with_checkpoint=封存数据与已签署的检查点不一致。请运行核验命令。
event_no_longer_matches_seal=存储的事件与其封存数据不一致。请运行核验命令。
aggregate_not_found=这个编号下从未记录过任何内容。请核对编号。
aggregate_not_recorded_by_then=所查询的时间点之前还没有这条记录。请核对时间。
version_not_recorded=没有这个版本（版本号从1开始）。请核对版本号。
replay_file_exists=回放只写入新的文件，不会改动已有文件。请换一个文件名。
export_not_covered_by_checkpoint=导出的事件没有全部被已签署的检查点覆盖。请先签署检查点。
export_directory_not_empty=导出目录必须是新的或空的目录。请换一个目录。
operations_error=备份或恢复未完成。请检查后重试。
backup_file_exists=备份只写入新文件，不会覆盖已有文件。请换一个文件名。
backup_file_not_found=指定的路径下没有备份文件。请核对路径。
backup_file_invalid=该文件不是本系统的数据库备份，或未通过完整性检查。请核对备份文件。
database_not_empty=恢复只能写入新的或空的数据库，不会覆盖已有数据。请换一个数据库。
restore_differs_from_backup=恢复后的数据库与备份内容不一致。请联系管理员检查。
postgresql_backup_needs_pg_dump=PostgreSQL数据库不能用本命令备份。请用pg_dump备份。
postgresql_restore_needs_pg_restore=PostgreSQL数据库不能用本命令恢复。请用pg_restore恢复。
command_failed=命令未完成。请检查后重试。
arguments_invalid=命令行参数有误（未知的命令、选项或取值）。请查看帮助后重试。
path_not_usable=命令中指定的文件或目录无法使用（不存在、已存在、不是目录或没有权限）。请核对路径。
address_not_usable=服务无法在指定的地址和端口上启动（地址无效或端口已被占用）。请换一个地址或端口。
projection_failed=数据汇总在处理某个事件时停止。请联系管理员处理。
projection_unknown=没有这个名称的数据汇总。请核对名称。
interrupted=命令已被中止（Ctrl-C）。此前已记录的内容保持不变，正在记录的内容要么完整记录、要么没有记录。
"""
)
