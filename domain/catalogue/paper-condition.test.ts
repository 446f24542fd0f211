import { paperCondition } from './paper-condition';

describe('paperCondition', () => {
  it.each([
    [
      'Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi.',
      'Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi.',
    ],
    ['(ii) Trường hợp ủy quyền cho tổ chức thực hiện thủ tục', 'Trường hợp ủy quyền cho tổ chức thực hiện thủ tục'],
    ['Nếu có người làm chứng thì nộp văn bản', 'Nếu có người làm chứng thì nộp văn bản'],
    ['Đối với Quân đội nhân dân: Giấy giới thiệu', 'Đối với Quân đội nhân dân: Giấy giới thiệu'],
    [
      'Văn bản ủy quyền (được chứng thực) theo quy định của pháp luật trong trường hợp ủy quyền thực hiện việc đăng ký khai sinh.',
      'Trong trường hợp ủy quyền thực hiện việc đăng ký khai sinh',
    ],
    [
      'Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp);',
      'Nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp',
    ],
    ['Danh sách chủ sở hữu hưởng lợi của doanh nghiệp (nếu có)', 'Nếu có'],
    ['Văn bản của cơ quan y tế xác nhận quan hệ cha con, quan hệ mẹ con.', null],
  ])('%s → %s', (name, expected) => {
    expect(paperCondition(name)).toBe(expected);
  });
});
