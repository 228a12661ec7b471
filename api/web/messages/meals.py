"""Chinese messages of the meal-assistance refusals (老年助餐, domain/meals/errors.py;
docs/rules.md M-01 … M-13), and of the reasons a record of a meal upload is refused
(``MEAL_REFUSAL_REASONS``)."""

from __future__ import annotations

from api.web.messages.table import table

MESSAGES = table(
    """
meals_error=老年助餐操作未完成。请检查填写的内容后重试。
id_number_malformed=身份证号码应为18位：17位数字加1位校验码（数字或X）。请核对号码。
id_number_check_character_wrong=身份证号码的最后一位校验码不对，号码可能抄错了。请对照身份证重新填写。
id_number_birth_date_invalid=身份证号码中的出生日期（第7至14位）不是有效的日期。请核对号码。
birth_date_disagrees_with_id_number=填写的出生日期与身份证号码中的出生日期不一致。请核对出生日期或号码。
elder_under_60=老年助餐服务对象须在登记日年满60周岁（《老年人权益保障法》第二条）。请核对出生日期或登记日期。
category_before_age=年龄类别（如75周岁以上、80周岁以上）不能早于老人达到该年龄的日期开始。请核对起始日期。
category_already_held=该老人在这段时间内已经有这个类别。请核对起止日期。
category_not_held=该老人没有能在这一天结束的这个类别。请核对类别和结束日期。
elder_not_found=找不到这位老人。请核对后重试。
elder_already_enrolled=这个身份证号码已经以其他姓名或其他村登记过。老人迁居请办理迁移，不要重复登记。
elder_deceased=该老人已登记死亡，除更正外不能再办理其他事项。
death_recorded_differently=该老人已按另一个日期登记死亡。如需更正，请联系管理员。
elder_already_suspended=该老人的助餐服务已经暂停。请先恢复，再办理。
elder_not_suspended=该老人没有正在暂停的助餐服务，或恢复日期没有晚于暂停开始日期。请核对。
personal_data_erased=该老人的个人信息已按规定删除，姓名和身份证号码无法再读取。
meal_point_not_found=找不到这个助餐点。请核对后重试。
meal_point_registered_differently=本村已登记过这个助餐点编号，但登记的信息与本次填写的不同。请核对编号，或使用新的编号。
meal_point_closed=该助餐点在这一天没有营业（已关闭或尚未开办）。请核对助餐点和日期。
slot_window_invalid=供餐时段应填写为“时:分”格式的起止时间，且开始早于结束。请核对时段。
batch_number_reused=这个批次号已在本助餐点用于内容不同的另一批记录。请使用新的批次号。
record_id_repeated_in_batch=同一批上传中每条记录的编号必须不同。请检查重复的记录编号。
upload_repeated_in_call=同一次提交中同一个助餐点的同一个批次号出现了两次。每个批次只能提交一次。
meal_not_found=找不到这条用餐记录。请核对后重试。
meal_already_voided=这条用餐记录已经作废过。
settlement_not_found=找不到这份结算单。请核对后重试。
settlement_month_not_ended=该月还没有结束，月末之后才能结算。
settlement_already_submitted=该月结算单已经提交，只有被退回后才能重新编制。
settlement_has_no_meals=没有可结算的内容：该助餐点到该月为止没有未结算的用餐，也没有需要追回的补贴。
settlement_step_not_allowed=结算单当前的状态不能办理这一步（顺序为：编制→提交→审核→审批→拨付；退回后重新编制）。
settlement_basis_changed=编制后有申报的用餐被作废或更改。请退回结算单并重新编制。
subsidy_received_differs_from_claim=收到的政府补贴金额必须等于结算单申报的政府补贴净额。请核对到账金额。
subsidy_already_received=这份结算单的政府补贴已经登记收到，不能重复登记。
step_dated_before_previous_step=结算的这一步日期早于上一步的日期。请核对日期。
record_invalid=这条记录格式不对（餐次、时间、价格或老人信息有误）。请核对后重新上传。
elder_unknown=找不到这位已登记的老人（或其信息已删除）。请核对老人信息。
served_in_future=用餐日期晚于今天。请核对日期。
slot_not_offered=该助餐点不提供这个餐次。请核对餐次。
delivery_not_offered=该助餐点不提供送餐服务。请核对是否送餐。
meal_after_death=用餐日期在老人死亡日期之后。请核对。
elder_moved_away=用餐日期前老人已经迁出本辖区。请核对。
elder_suspended=用餐当天该老人的助餐服务处于暂停状态。请核对。
elder_not_eligible_on_date=用餐当天该老人没有补贴政策所列的有效类别（或尚未登记）。请核对老人的类别和起止日期。
time_outside_slot_window=用餐时间不在该餐次的供餐时段内。请核对用餐时间。
second_meal_in_slot=该老人在同一天同一餐次已有用餐记录（本助餐点或其他助餐点）。每人每餐次只补贴一次。
"""
)
