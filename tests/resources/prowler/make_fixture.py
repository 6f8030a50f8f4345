#!/usr/bin/python3
"""Writes ftr_compliance.csv: what Prowler's compliance output for the AWS
Foundational Technical Review looks like, written the way Prowler writes it
(prowler/lib/outputs/compliance/compliance_output.py: csv.DictWriter with
delimiter ';', the model's field names upper-cased, Python's default CRLF line
ends and minimal quoting; columns of GenericComplianceModel,
prowler/lib/outputs/compliance/generic/models.py; a MANUAL row per requirement
without checks, CHECKID 'manual', RESOURCEID 'manual_check'). The findings are
made up to mix PASS, FAIL, MANUAL and muted rows:

  IAM-001     PASS + a muted FAIL                     -> yes
  IAM-002     PASS + an unmuted FAIL                  -> no (the FAIL's line)
  IAM-003     PASS in two accounts                    -> yes
  IAM-0012    PASS (Prowler's spelling of IAM-012)    -> yes, as IAM-012
  ARC-004     FAIL                                    -> no
  S3-001      PASS in two regions + a muted FAIL      -> yes
  NETSEC-001  only a muted FAIL                       -> unanswered
  SDAT-002    PASS, FAIL (a detail with ';', quotes and a line break) -> no
  HOST-001, IAM-0010, WAFR-001   MANUAL               -> unanswered
  one row without a requirement ID                    -> skipped

usage: /usr/bin/python3 make_fixture.py [OUT.csv]   (default: ftr_compliance.csv beside it)
"""
import csv
import os
import sys

COLS = ["Provider", "Description", "AccountId", "Region", "AssessmentDate", "Requirements_Id",
        "Requirements_Description", "Requirements_Attributes_Section",
        "Requirements_Attributes_SubSection", "Requirements_Attributes_SubGroup",
        "Requirements_Attributes_Service", "Requirements_Attributes_Type", "Status",
        "StatusExtended", "ResourceId", "CheckId", "Muted", "ResourceName", "Framework", "Name"]
DESC = ("The AWS Foundational Technical Review (FTR) assesses an AWS Partner's solution against a "
        "specific set of Amazon Web Services (AWS) best practices around security, performance, "
        "and operational processes that are most critical for customer success.")
DATE = "2025-01-01 00:00:00.000000"
A1, A2 = "123456789012", "210987654321"


def row(req, title, status, detail, resource, check, muted=False, account=A1, region="us-east-1",
        kind="Automated", sub="Identity and Access Management"):
    manual = status == "MANUAL"
    return {
        "Provider": "aws", "Description": DESC, "AccountId": "" if manual else account,
        "Region": "" if manual else region, "AssessmentDate": DATE, "Requirements_Id": req,
        "Requirements_Description": title,
        "Requirements_Attributes_Section": "Partner-hosted FTR requirements",
        "Requirements_Attributes_SubSection": sub, "Requirements_Attributes_SubGroup": None,
        "Requirements_Attributes_Service": None, "Requirements_Attributes_Type": kind,
        "Status": status, "StatusExtended": "Manual check" if manual else detail,
        "ResourceId": "manual_check" if manual else resource, "CheckId": "manual" if manual else check,
        "Muted": muted, "ResourceName": "Manual check" if manual else resource.rsplit("/", 1)[-1],
        "Framework": "AWS-Foundational-Technical-Review", "Name": "AWS Foundational Technical Review",
    }


ROOT = "arn:aws:iam::%s:root"
rows = [
    row("IAM-001", "Enable multi-factor authentication (MFA) for all Human Identities with AWS access",
        "PASS", "MFA is enabled for root account.", ROOT % A1, "iam_root_mfa_enabled"),
    row("IAM-001", "Enable multi-factor authentication (MFA) for all Human Identities with AWS access",
        "FAIL", "User break-glass has Console Password enabled but MFA disabled.",
        "arn:aws:iam::%s:user/break-glass" % A1, "iam_user_mfa_enabled_console_access", muted=True),
    row("IAM-002", "Monitor and secure static AWS Identity and Access Management (IAM) credentials",
        "PASS", "User ci has not used access key 1 in the last 45 days.",
        "arn:aws:iam::%s:user/ci" % A1, "iam_user_accesskey_unused"),
    row("IAM-002", "Monitor and secure static AWS Identity and Access Management (IAM) credentials",
        "FAIL", "User deploy has not rotated access key 1 in over 90 days (412 days).",
        "arn:aws:iam::%s:user/deploy" % A1, "iam_rotate_access_key_90_days"),
    row("IAM-003", "Use strong password policy", "PASS",
        "IAM password policy requires minimum length of 14 characters.",
        "arn:aws:iam::%s:root" % A1, "iam_password_policy_minimum_length_14"),
    row("IAM-003", "Use strong password policy", "PASS",
        "IAM password policy requires minimum length of 14 characters.",
        "arn:aws:iam::%s:root" % A2, "iam_password_policy_minimum_length_14", account=A2),
    row("IAM-0012", "Use temporary credentials", "PASS",
        "Role admin does not have AdministratorAccess policy.",
        "arn:aws:iam::%s:role/admin" % A1, "iam_role_administratoraccess_policy"),
    row("ARC-004", "Remove access keys for the root user", "FAIL",
        "Root account has access keys.", ROOT % A1, "iam_no_root_access_key",
        sub="AWS root account"),
    row("S3-001", "Review all Amazon S3 buckets to determine appropriate access levels", "PASS",
        "S3 Bucket logs has Public Access Block enabled.", "arn:aws:s3:::logs",
        "s3_bucket_level_public_access_block", sub="Amazon S3 bucket access"),
    row("S3-001", "Review all Amazon S3 buckets to determine appropriate access levels", "PASS",
        "S3 Bucket assets-eu has Public Access Block enabled.", "arn:aws:s3:::assets-eu",
        "s3_bucket_level_public_access_block", region="eu-west-1", sub="Amazon S3 bucket access"),
    row("S3-001", "Review all Amazon S3 buckets to determine appropriate access levels", "FAIL",
        "S3 Bucket website is public.", "arn:aws:s3:::website", "s3_bucket_public_access",
        muted=True, sub="Amazon S3 bucket access"),
    row("NETSEC-001", "Implement the least permissive rules for all Amazon EC2 security groups",
        "FAIL", "Security group bastion (sg-0a1) has SSH port 22 open to the Internet.",
        "arn:aws:ec2:us-east-1:%s:security-group/sg-0a1" % A1,
        "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22", muted=True,
        sub="Network security"),
    row("SDAT-002", "Encrypt all sensitive data at rest", "PASS",
        "EFS share has encryption at rest enabled.",
        "arn:aws:elasticfilesystem:us-east-1:%s:file-system/fs-1" % A1,
        "efs_encryption_at_rest_enabled", sub="Sensitive data"),
    row("SDAT-002", "Encrypt all sensitive data at rest", "FAIL",
        'DynamoDB table "orders; eu" is encrypted with the AWS owned key;\nuse a customer managed KMS key.',
        "arn:aws:dynamodb:us-east-1:%s:table/orders" % A1,
        "dynamodb_tables_kms_cmk_encryption_enabled", sub="Sensitive data"),
    row("", "A finding whose requirement has no ID", "FAIL", "kept out", "arn:aws:s3:::x",
        "s3_bucket_public_access"),
    row("HOST-001", "Confirm your hosting model", "MANUAL", "", "", "", kind="Manual", sub="Hosting"),
    row("IAM-0010", "Store secrets securely.", "MANUAL", "", "", "", kind="Manual"),
    row("WAFR-001", "Conduct periodic architecture reviews (minimum once every year)", "MANUAL", "",
        "", "", kind="Manual", sub="Architecture review"),
]

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                         "ftr_compliance.csv")
with open(out, "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=[c.upper() for c in COLS], delimiter=";")
    w.writeheader()
    for r in rows:
        w.writerow({k.upper(): v for k, v in r.items()})
