"""Chinese messages of the land-entry refusals (集体经营性建设用地入市, domain/land/errors.py;
docs/rules.md L-01 … L-14)."""

from __future__ import annotations

from api.web.messages.table import table

MESSAGES = table(
    """
land_error=土地入市操作未完成。请检查填写的内容后重试。
parcel_registered_differently=本村已登记过这个地块编号，但登记的信息与本次填写的不同。请核对地块编号，或使用新的编号。
parcel_not_found=找不到这个地块。请核对地块编号或所属村。
planned_use_not_operating=只有国土空间规划确定为工业、商业等经营性用途的土地才能入市。请核对规划用途。
land_class_not_construction_land=农用地和未利用地不能入市，入市的必须是建设用地。请核对地类。
land_class_is_homestead=宅基地是村民的住房用地，不能入市。
parcel_stage_not_reached=该地块还没有走到这一步需要的环节。请按入市流程的顺序办理。
parcel_stage_passed=该地块已经过了这一步所属的环节，不能再办理。
parcel_step_dated_before_previous_step=这一步的日期早于上一步的日期。请核对日期。
private_agreement_not_allowed_for_use=这种规划用途的土地必须通过招标、拍卖或挂牌方式入市，不能协议出让。请改用招拍挂方式。
term_exceeds_maximum_for_use=出让年限超过了该用途土地的最高年限（《土地管理法》第六十三条）。请缩短年限。
listing_before_filing_period_elapsed=入市方案备案后须满规定的工作日数（备案当天不计）才能挂牌。请推迟挂牌日期。
award_below_reserve_price=成交价不得低于批准方案中的底价。请核对成交价。
contract_before_award=只能在确定竞得人之后与竞得人签订合同。请先录入成交结果。
payment_exceeds_contract_price=各期价款合计不得超过合同价款。请核对本期收款金额。
installment_receipt_reused=这个收据编号已用于该地块的另一期价款。请使用新的收据编号。
use_right_before_full_payment=合同价款全部收清后才能办理土地使用权登记。请先收齐价款。
distribution_before_levy_paid=缴纳土地增值收益调节金之后才能分配收益。请先录入调节金缴纳。
distribution_exceeds_net_proceeds=分配金额不得超过已收价款扣除调节金后的净收益。请核对分配金额。
member_payment_before_disclosure=收益分配方案经村务公开后才能向成员发放。请先录入公开情况。
member_payment_exceeds_members_share=向成员发放的合计金额不得超过批准的成员分配份额。请核对发放金额。
member_payment_batch_reused=这个批次号已用于该地块的另一次成员发放。请使用新的批次号。
"""
)
