"""Collective operating construction land entering the market (集体经营性建设用地入市).

model.py: the Parcel aggregate and its events; state.py: the state every step reads;
market.py and proceeds.py: the steps on the market and after the contract (bases of Parcel);
rules.py: the rules (docs/rules.md L-01 …); vocabulary.py: the closed vocabularies;
calendar.py: working days; application.py: the commands; errors.py: the refusals.
"""
