import { Field, Float, ObjectType, registerEnumType, Int } from 'type-graphql';
import { CERTIFICATE_STATUSES, ENCUMBRANCE_KINDS, LAND_USE_TERM_KINDS, OWNER_KINDS } from '../../domain/registries/land-record';

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const LandOwnerKind = enumOf(OWNER_KINDS);
registerEnumType(LandOwnerKind, { name: 'LandOwnerKind', description: 'A citizen (personal id) or an organisation (enterprise code).' });

export const LandCertificateStatus = enumOf(CERTIFICATE_STATUSES);
registerEnumType(LandCertificateStatus, {
  name: 'LandCertificateStatus',
  description: 'VALID; REVOKED (thu hồi); REPLACED by a newer certificate (cấp đổi).',
});

export const LandEncumbranceKind = enumOf(ENCUMBRANCE_KINDS);
registerEnumType(LandEncumbranceKind, {
  name: 'LandEncumbranceKind',
  description: 'MORTGAGE (thế chấp), LEASE (cho thuê), DISPUTE (tranh chấp), SEIZURE (kê biên).',
});

export const LandUseTermKind = enumOf(LAND_USE_TERM_KINDS);
registerEnumType(LandUseTermKind, { name: 'LandUseTermKind', description: 'LONG_TERM (lâu dài) or FIXED_TERM (có thời hạn).' });

@ObjectType({ description: 'Land use purpose (mục đích sử dụng đất): category code and name, e.g. ODT Đất ở tại đô thị.' })
export class LandUsePurpose {
  @Field()
  code!: string;

  @Field()
  name!: string;
}

@ObjectType({ description: 'How long the land may be used (thời hạn sử dụng).' })
export class LandUseTerm {
  @Field(() => LandUseTermKind)
  kind!: keyof typeof LandUseTermKind;

  @Field(() => String, { nullable: true, description: 'Last day of a fixed term (YYYY-MM-DD); null when long-term.' })
  endDate!: string | null;
}

@ObjectType({ description: 'A holder of the land use right (người sử dụng đất) and their share.' })
export class LandParcelOwner {
  @Field({ description: '12-digit personal id (citizen) or 10-digit enterprise code (organisation).' })
  ownerId!: string;

  @Field(() => LandOwnerKind)
  ownerKind!: keyof typeof LandOwnerKind;

  @Field()
  fullName!: string;

  @Field(() => Float, { description: 'Share of the right, 0 < share ≤ 1; the shares of a parcel add up to 1.' })
  share!: number;
}

@ObjectType({ description: 'The land use right certificate (Giấy chứng nhận quyền sử dụng đất).' })
export class LandUseCertificate {
  @Field({ description: 'Series and serial number, e.g. "CS 123456".' })
  number!: string;

  @Field({ description: 'YYYY-MM-DD' })
  issuedOn!: string;

  @Field(() => LandCertificateStatus)
  status!: keyof typeof LandCertificateStatus;
}

@ObjectType({ description: 'A registered restriction on the parcel.' })
export class LandEncumbrance {
  @Field(() => LandEncumbranceKind)
  kind!: keyof typeof LandEncumbranceKind;

  @Field({ description: 'Who holds it: the bank, the lessee, the committee or the enforcement office.' })
  holder!: string;

  @Field({ description: 'YYYY-MM-DD' })
  registeredOn!: string;
}

@ObjectType({ description: 'A land parcel (thửa đất) as recorded in the land registry.' })
export class LandParcel {
  @Field({ description: '5-digit commune code.' })
  communeCode!: string;

  @Field(() => Int, { description: 'Map sheet number (tờ bản đồ số).' })
  mapSheetNumber!: number;

  @Field(() => Int, { description: 'Parcel number (thửa đất số).' })
  parcelNumber!: number;

  @Field(() => Float, { description: 'Area in square metres.' })
  areaM2!: number;

  @Field(() => LandUsePurpose)
  landUsePurpose!: LandUsePurpose;

  @Field(() => LandUseTerm)
  landUseTerm!: LandUseTerm;

  @Field()
  address!: string;

  @Field(() => [LandParcelOwner], { description: 'Personal data: the holders of the land use right.' })
  owners!: LandParcelOwner[];

  @Field(() => LandUseCertificate)
  certificate!: LandUseCertificate;

  @Field(() => [LandEncumbrance], { description: 'Mortgages, leases, disputes and seizures registered on it (possibly none).' })
  encumbrances!: LandEncumbrance[];

  @Field({ description: 'When the registry last changed this record (RFC 3339, +07:00).' })
  lastUpdated!: string;
}
