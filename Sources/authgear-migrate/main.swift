print("authgear-migrate")
